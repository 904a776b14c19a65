"""Reference-data benchmark: country normalisation, critical-product matching, mineral HHI."""
