//! Serving a built app on 127.0.0.1 and starting headless Chromium through chromedriver:
//! shared by the end-to-end tests and the benchmark (`examples/bench.rs`).
#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

pub fn serve_one(stream: TcpStream, root: &Path, prefix: &str) {
    serve_one_as(stream, root, prefix, "application/wasm");
}

/// Serves one request, answering for `.wasm` files with the content type `wasm_type`.
pub fn serve_one_as(mut stream: TcpStream, root: &Path, prefix: &str, wasm_type: &str) {
    let mut request_line = String::new();
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(path) = path.strip_prefix(prefix).map(|p| p.trim_start_matches('/')) else {
        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    let candidate = root.join(path);
    let inside = !path.split('/').any(|seg| seg == "..");
    let (status, file) = if inside && candidate.is_file() {
        ("200 OK", candidate)
    } else if inside && !path.rsplit('/').next().unwrap_or("").contains('.') {
        ("200 OK", root.join("index.html"))
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        if file.extension().is_some_and(|e| e == "wasm") { wasm_type } else { content_type(&file) },
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Serves `root` under the URL path `prefix` on a free loopback port while the test runs.
pub fn start_server_at(root: PathBuf, prefix: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let addr = listener.local_addr().expect("bound address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || serve_one(stream, &root, prefix));
        }
    });
    format!("http://{addr}{prefix}")
}

/// Serves `root` as [`start_server_at`] does, but `.wasm` files as `wasm_type`, as a host
/// that does not know WebAssembly's type would.
pub fn start_server_serving_wasm_as(root: PathBuf, wasm_type: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let addr = listener.local_addr().expect("bound address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || serve_one_as(stream, &root, "", wasm_type));
        }
    });
    format!("http://{addr}")
}

pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Starts chromedriver and a fresh headless Chromium profile: the browser runs with the
/// environment `envs`, the extra command-line `args`, and extra `goog:chromeOptions`.
pub async fn launch(
    envs: &[(&str, &str)],
    args: &[&str],
    options_extra: &[(&str, Value)],
) -> Result<(Client, Driver), Box<dyn std::error::Error>> {
    // On a busy machine a browser now and then fails to start (chromedriver answers the new
    // session with a malformed error): a second try with a fresh chromedriver starts it.
    match launch_once(envs, args, options_extra).await {
        Ok(started) => Ok(started),
        Err(first) => {
            eprintln!("the browser did not start ({first}); trying once more");
            launch_once(envs, args, options_extra).await
        }
    }
}

async fn launch_once(
    envs: &[(&str, &str)],
    args: &[&str],
    options_extra: &[(&str, Value)],
) -> Result<(Client, Driver), Box<dyn std::error::Error>> {
    let port = free_port();
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
    // DEBRIEF_CHROMEDRIVER_LOG=dir keeps a verbose log of every chromedriver there.
    let log = std::env::var("DEBRIEF_CHROMEDRIVER_LOG")
        .map(|dir| vec![format!("--log-path={dir}/chromedriver-{port}.log"), "--verbose".to_owned()])
        .unwrap_or_default();
    let driver = Driver(
        Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .args(log)
            .envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err("chromedriver did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut caps = serde_json::Map::new();
    let mut options = json!({
        "args": [
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1280,900", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions"
        ]
    });
    if let Some(list) = options["args"].as_array_mut() {
        list.extend(args.iter().map(|a| json!(a)));
    }
    for (name, value) in options_extra {
        options[*name] = value.clone();
    }
    if let Ok(binary) = std::env::var("CHROME_BINARY") {
        options["binary"] = json!(binary);
    } else if Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    caps.insert("goog:chromeOptions".to_owned(), options);
    let client = ClientBuilder::native().capabilities(caps).connect(&format!("http://127.0.0.1:{port}")).await?;
    Ok((client, driver))
}

/// A Chrome DevTools command with its parameters, through chromedriver's bridge.
#[derive(Debug)]
pub struct DevTools(pub &'static str, pub Value);

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.0, "params": self.1 }).to_string()))
    }
}
