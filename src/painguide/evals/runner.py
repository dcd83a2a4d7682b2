from __future__ import annotations
import argparse
def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", action="append")
def main(args: argparse.Namespace) -> int:
    return 1
