"""cupure: a self-hosted news site that runs itself."""
