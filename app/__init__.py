"""SALGA Trust Engine: service-delivery reporting for South African municipalities."""
