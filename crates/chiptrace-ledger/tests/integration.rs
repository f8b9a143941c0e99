//! Integration tests of chiptrace-ledger: one binary (engineering.md §2.8)
//! whose feature modules live in `tests/it/`.

mod it;
