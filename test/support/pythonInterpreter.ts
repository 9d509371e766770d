// The Python that runs the tests' programs and debug adapters. Debian's /usr/bin/python3 has debugpy,
// trio, uvloop, pytest and pyflakes; the `python3` first on PATH may be a pyenv shim without them.
// ASYNC_TOOLKIT_PYTHON chooses another interpreter that has them (to try another Python version).
export const python = process.env.ASYNC_TOOLKIT_PYTHON || '/usr/bin/python3';
