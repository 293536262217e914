"""Gongkai (公开): government information disclosure for a public security agency."""
