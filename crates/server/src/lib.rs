//! Concerto's collection server: the public API residents' widgets call, the organiser API,
//! storage, exports, the widget bundle and the command line.

pub mod admin;
pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod connections;
pub mod cors;
pub mod demo;
pub mod edit;
pub mod error;
pub mod export;
pub mod first_view;
pub mod health;
pub mod json;
pub mod local_time;
pub mod metrics;
pub mod openapi;
pub mod password;
pub mod path_params;
pub mod poll_cache;
pub mod proxy;
pub mod public_results;
pub mod query_params;
pub mod rate_limit;
pub mod request_id;
pub mod request_limits;
pub mod server;
pub mod site;
pub mod standalone;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod token;

pub use app::app;
pub use config::Settings;
pub use server::Server;
