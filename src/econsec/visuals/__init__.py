"""Maps, flows and networks of the value chain."""
