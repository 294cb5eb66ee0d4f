"""The Python pipe floor: writes every line of stdin back to stdout at once. No JSON, no protocol."""

import sys


def main():
    read = sys.stdin.buffer.readline
    out = sys.stdout.buffer
    while True:
        line = read()
        if not line:
            return
        out.write(line)
        out.flush()


if __name__ == "__main__":
    main()
