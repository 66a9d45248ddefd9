"""Images: uploads, their responsive variants, what a page shows, and share cards.

    uploads              checks and cleans every uploaded image (size, type, pixels, metadata)
    variants             makes an upload's smaller AVIF, WebP and JPEG/PNG copies, and their manifest
    pictures             what picture a step shows (upload or the site's drawing), as a `Picture`
    in_markdown          images in editors' markdown: their <picture> markup and the alt-text check
    share_card_drawing   draws a 1200×630 link-preview card
    share_card_files     keeps each guide's and page's card in media storage, redrawn when it changes
    serving              serves media files when no object storage or CDN does

The site's own drawings are made by techniques.illustrations, which knows nothing of Django.
"""
