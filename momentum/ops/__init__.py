"""What is left of ops after its split (docs/adr/0008): its migrations, which made the tables the
new apps keep, and the code the platform package takes over."""
