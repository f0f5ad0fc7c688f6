"""parindex verbs: placeholder until its owner fills it in."""
COMMANDS = []
