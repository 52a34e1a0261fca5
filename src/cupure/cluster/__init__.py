"""Clustering cores (no Django): incremental stories, bursts and breaking news."""
