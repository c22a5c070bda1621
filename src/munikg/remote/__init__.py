"""Talking to other SPARQL stores: publishing a release to one, linking to Wikidata."""
