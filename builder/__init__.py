"""Kho văn bản chỉ đạo: a static site generator for a city's directives."""
