from nq57lib.cli import entry

# Guarded: importing this module (as tools that scan a package do) starts nothing.
if __name__ == "__main__":
    entry()
