"""What a fact is: the bottom floor of parindex. Every other part may import it; it imports
nothing of ours (patterns/ it reads as data).

- `normalize`: Vietnamese text and unit names, and the one set of keys they are compared by
  (tone folding, match, bare, search and unit keys, type words, "UBND");
- `register`, `register_agencies`, `linker`: the official register of units and the linker;
- `topic`: is this text about the indexes?
"""
