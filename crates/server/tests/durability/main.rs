//! Durability of the real `concerto-server` binary, run as a child process on a fresh data
//! directory: a backup taken while answers flow in restores exactly a snapshot of them, and
//! answers acknowledged before a `kill -9` are all there, once each, after a restart; and
//! what its logs hold (and never hold) while it serves.

mod backup;
mod crash;
mod logs;
mod support;
