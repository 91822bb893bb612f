"""Root fields (Query/Mutation) of this domain; picked up by server/schema/__init__.py."""
