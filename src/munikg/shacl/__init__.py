"""SHACL validation: shapes, Core constraints compiled to SPARQL, SPARQL-based constraints, and
violations located in the source files (design §5).
"""
