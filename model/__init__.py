"""What a fact is: the bottom floor of parindex. Every other part may import it; it imports
nothing of ours (patterns/ it reads as data).

- `catalogue`: every field of a fact once (name, type, meaning, allowed values, rounding),
  and the indexes with their first years and scales;
- `validity`: the one validity check of a fact, with a reason per field;
- `normalize`: Vietnamese text and unit names, and the one set of keys they are compared by
  (tone folding, match, bare, search and unit keys, type words, "UBND");
- `register`, `register_agencies`, `linker`: the official register of units and the linker;
- `derive`: a fact's derived fields (unit key, register link) from its claims;
- `topic`: is this text about the indexes?
"""
