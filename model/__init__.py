"""What a fact is: the bottom floor of parindex. Every other part may import it; it imports
nothing of ours (patterns/ it reads as data).

- `normalize`: Vietnamese text and unit names (NFC, one tone placement, name keys);
- `register`, `register_agencies`, `linker`: the official register of units and the linker.
"""
