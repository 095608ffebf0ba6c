class UserError(Exception):
    """A problem the user can fix (bad input, missing file, too little data).

    The CLI prints its message without a traceback and exits with status 2.
    """
