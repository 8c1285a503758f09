from nq57lib.cli import entry

entry()
