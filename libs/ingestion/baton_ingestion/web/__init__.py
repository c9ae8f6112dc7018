"""Help pages from the web: one URL, a sitemap, or a crawl from a start URL."""
