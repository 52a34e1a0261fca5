"""Publishers' rights: what each article may show, their robots signals, takedowns."""
