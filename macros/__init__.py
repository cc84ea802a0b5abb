"""Build-time Python of the handbook: plain functions that read text and data and
return text, or raise :class:`~macros.data.errors.SourceError` naming file and line.

Nothing here imports MkDocs except ``entry`` (the mkdocs-macros entry point) and
``hooks`` (the build pipeline that calls these functions). The
scripts and the tests import the modules directly.

The folders follow the pipeline; one concept per module:

    entry.py      the mkdocs-macros entry point (the macros pages call)
    hooks.py      the MkDocs hooks: every stage below, in the order it runs

    data/         sources and data files, read and validated
        errors        SourceError: every content error names file and line
        yamlfile      YAML with line numbers
        validation    pydantic errors → SourceError
        config        mkdocs.yml read as plain data
        sitedata      every data file of docs/data, loaded once per build
        frontmatter   the page front matter schema; drafts
        bibliography  the bibliography and citations
        architectures the architecture data file's schema and loader
        glossary      abbreviations: definitions, term links (glossary.json), the glossary page
        terms         one term per concept in prose
        sections      the navigation's order and section index pages
        urls          the registry of published URLs; reading a built site's pages
        redirects     moved pages' old URLs (redirect_maps in mkdocs.yml)
    tex/          formulas
        mathscan      formulas and code in Markdown sources, with lines
        protect       keeping formulas and code away from Jinja
        mathjax       build-time MathJax (tex2svg.mjs in Node)
        formulas      the formulas of a page's HTML: checked, detached, typeset
    stages/       checks and edits of a page's Markdown and HTML
        anatomy       a question page's sections; the 30 秒回答 rule
        jinjacheck    a page's Jinja: literal calls of the site's macros only
        html          a page as one parsed HTML tree (selectolax): the stages edit it in place
        pagehtml      reader controls written into the HTML
        sanitize      the published HTML: nh3's allowlist, names reserved for the theme
        csp           the Content-Security-Policy of every page; active markup anywhere in it
        search        Chinese search: words kept whole in the index, material's query segmenter
    outputs/      what the build renders or writes
        tables        comparison tables from docs/data/tables/ and the HTML of every data table
        matrix        the architecture matrix
        masks         attention-mask definitions and SVG figures
        practice      practice cards cut from the question pages; the practice page's card bank
        deck          the Anki deck and the CSV of the practice cards
        offline       offline reading: the service worker (sw.js) and the files it keeps
        ogimage       link-preview pictures (og:image), drawn at build time
"""
