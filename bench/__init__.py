"""The benchmark behind `make bench`: a synthetic catalogue and the measurements over it."""
