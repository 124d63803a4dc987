//! Reports for hardware engineers: Markdown, HTML with SVG plots, JSON, CSV, Accelergy tables.
