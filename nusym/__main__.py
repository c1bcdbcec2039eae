"""`python -m nusym`: the command line."""
import sys

from nusym.cli import main

sys.exit(main())
