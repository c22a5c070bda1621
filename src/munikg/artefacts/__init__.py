"""What a release publishes beside its store: dumps in every RDF format, VoID, the DCAT
catalogue, CITATION.cff, ontology documentation, checksums.
"""
