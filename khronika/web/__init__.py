"""The web app: public solidarity pages, the analyst console and the JSON API."""

from khronika.web.app import create_app

__all__ = ["create_app"]
