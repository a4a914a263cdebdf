"""`python -m khronika`: the same CLI as the `khronika` command."""

from khronika.cli import main

if __name__ == "__main__":
    main()
