//! A server that can be stopped (to take the network away), a copy of a build, and the
//! service worker's state.

use super::*;

pub struct StoppableServer {
    pub base: String,
    stop: Arc<AtomicBool>,
    pub port: u16,
}

impl StoppableServer {
    pub fn start(root: PathBuf, prefix: &'static str) -> Self {
        Self::start_refusing(root, prefix, |_| false)
    }

    /// A server that answers 404 for every path `refuse` names.
    pub fn start_refusing(root: PathBuf, prefix: &'static str, refuse: fn(&str) -> bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let port = listener.local_addr().expect("bound address").port();
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            // Dropping the listener closes the port: connections are refused from then on.
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        let _ = stream.set_nonblocking(false);
                        std::thread::spawn(move || serve_unless(stream, &root, prefix, refuse));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self { base: format!("http://127.0.0.1:{port}{prefix}"), stop, port }
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Serves one request, unless its path is one `refuse` names: then a 404.
pub fn serve_unless(stream: TcpStream, root: &Path, prefix: &str, refuse: fn(&str) -> bool) {
    let mut peek = [0u8; 2048];
    let n = stream.peek(&mut peek).unwrap_or(0);
    let head = String::from_utf8_lossy(&peek[..n]);
    let path = head.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/").to_owned();
    if refuse(&path) {
        let mut stream = stream;
        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    serve_one(stream, root, prefix);
}

pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Waits until the service worker controls the page, so every file of the app is cached.
pub async fn wait_for_service_worker(s: &Session) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(30);
    while s.js("return !!(navigator.serviceWorker && navigator.serviceWorker.controller);", vec![]).await?
        != json!(true)
    {
        if Instant::now() > deadline {
            return Err("the service worker never took control of the page".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Whether the page was reloaded since `window.__beforeUpdate` was set, and runs the app.
pub async fn reloaded(s: &Session) -> bool {
    let check = "return window.__beforeUpdate === undefined && !!document.querySelector('main h1');";
    s.js(check, vec![]).await.map(|v| v == json!(true)).unwrap_or(false)
}

pub async fn cache_names(s: &Session) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let names = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; caches.keys().then(done, () => done([]));",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}
