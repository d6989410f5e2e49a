"""How much of what was published the warehouse holds: extraction completeness (cells mapped ÷ numeric
cells of the table pages) and accuracy against the hand-checked truth (tests/truth/)."""
