//! A hostile token endpoint on loopback: it answers each request with the next reply of a
//! script (crafted bodies, resets, closes, huge or slow answers) and counts what it saw.
//!
//! Written with nothing but `std::net`, so no HTTP library of ours smooths over what it sends.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the endpoint does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// An answer with this status, extra headers and JSON body.
    Json {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Reads the whole request, then closes the connection without a word.
    CloseAfterRead,
    /// Reads only the request head and closes with the form unread: the kernel answers with a
    /// TCP reset.
    ResetAfterHead,
    /// Announces and streams this many bytes of JSON-looking junk.
    Huge { status: u16, bytes: usize },
    /// Sends the JSON answer one byte every `gap`.
    Slow { body: String, gap: Duration },
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self::Json {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A token answer with an opaque access token, optionally with a refresh token.
    pub fn token(access: &str, refresh: Option<&str>) -> Self {
        let mut v = serde_json::json!({
            "token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
            "scope": "https://lcsapi.lcs.dynamics.com//.default", "access_token": access,
        });
        if let Some(rt) = refresh {
            v["refresh_token"] = rt.into();
        }
        Self::json(200, v.to_string())
    }

    /// An Entra refusal as the token endpoint sends it (status, error, AADSTS code).
    pub fn refusal(status: u16, error: &str, code: u32, description: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({
                "error": error,
                "error_description": format!("AADSTS{code}: {description}\r\nTrace ID: 0c2d7a3e-5b1f-4e8a-9c6d-2f4b8a1e7d30\r\nCorrelation ID: 7e9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b\r\nTimestamp: 2026-01-05 10:00:00Z"),
                "error_codes": [code],
                "timestamp": "2026-01-05 10:00:00Z",
                "trace_id": "0c2d7a3e-5b1f-4e8a-9c6d-2f4b8a1e7d30",
                "correlation_id": "7e9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
                "error_uri": "https://login.microsoftonline.com/error?code={code}",
            })
            .to_string(),
        )
    }

    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Self::Json {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Self::Json { status, headers, body }
            }
            other => other,
        }
    }
}

/// One request the endpoint saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// The form, decoded; empty when the endpoint did not read it (`ResetAfterHead`).
    pub form: Vec<(String, String)>,
    pub head: String,
}

impl Seen {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn grant(&self) -> Option<&str> {
        self.field("grant_type")
    }
}

struct Shared {
    script: VecDeque<Reply>,
    /// Used once the script is spent.
    last: Reply,
    seen: Vec<Seen>,
}

/// The endpoint; it runs until the process ends.
#[derive(Clone)]
pub struct Hostile {
    port: u16,
    shared: Arc<Mutex<Shared>>,
}

impl Hostile {
    /// Starts on a free loopback port with `script`; once spent, its last reply repeats.
    pub fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let last = script.last().cloned().unwrap_or(Reply::json(500, "{}"));
        let shared = Arc::new(Mutex::new(Shared {
            script: script.into(),
            last,
            seen: Vec::new(),
        }));
        let s = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                std::thread::spawn(move || serve(conn, &s));
            }
        });
        Self { port, shared }
    }

    /// `http://127.0.0.1:PORT`, for `--authority`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Replaces what is left of the script.
    pub fn then(&self, script: Vec<Reply>) {
        let mut s = self.shared.lock().unwrap();
        if let Some(last) = script.last() {
            s.last = last.clone();
        }
        s.script = script.into();
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.lock().unwrap().seen.clone()
    }

    /// How many requests carried this grant type.
    pub fn grants(&self, grant: &str) -> usize {
        self.seen().iter().filter(|s| s.grant() == Some(grant)).count()
    }
}

fn serve(mut conn: TcpStream, shared: &Mutex<Shared>) {
    conn.set_read_timeout(Some(Duration::from_secs(30))).ok();
    loop {
        // Read the head.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match conn.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        let mut first = head.lines().next().unwrap_or_default().split(' ');
        let method = first.next().unwrap_or_default().to_string();
        let path = first.next().unwrap_or_default().to_string();
        let reply = {
            let mut s = shared.lock().unwrap();
            s.script.pop_front().unwrap_or_else(|| s.last.clone())
        };
        if let Reply::ResetAfterHead = reply {
            shared.lock().unwrap().seen.push(Seen {
                method,
                path,
                form: Vec::new(),
                head,
            });
            // Give the client time to send the form, so it sits unread when the socket closes.
            std::thread::sleep(Duration::from_millis(100));
            return;
        }
        let length = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0u8; length];
        if conn.read_exact(&mut body).is_err() {
            return;
        }
        shared.lock().unwrap().seen.push(Seen {
            method,
            path,
            form: decode_form(&String::from_utf8_lossy(&body)),
            head,
        });
        match reply {
            Reply::Json { status, headers, body } => {
                let mut out = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n",
                    body.len()
                );
                for (k, v) in headers {
                    let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                out.push_str(&body);
                if conn.write_all(out.as_bytes()).is_err() {
                    return;
                }
            }
            Reply::CloseAfterRead | Reply::ResetAfterHead => return,
            Reply::Huge { status, bytes } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {bytes}\r\n\r\n{{\"error\":\""
                );
                if conn.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'A'; 64 * 1024];
                let mut sent = 0;
                while sent < bytes {
                    if conn.write_all(&chunk).is_err() {
                        return;
                    }
                    sent += chunk.len();
                }
                return;
            }
            Reply::Slow { body, gap } => {
                let out = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                for b in out.bytes() {
                    if conn.write_all(&[b]).is_err() {
                        return;
                    }
                    std::thread::sleep(gap);
                }
            }
        }
    }
}

fn decode_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A private config dir with one profile pointing at a hostile endpoint, and the real binary.
pub struct Victim {
    pub ep: Hostile,
    pub dir: tempfile::TempDir,
    pub name: String,
}

impl Victim {
    /// A password profile at `ep` (not signed in yet).
    pub fn new(ep: Hostile, extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("h{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let v = Self { ep, dir, name };
        v.cmd()
            .args(super::profile_add(&v.name))
            .args(["--username", super::USER, "--authority", &v.ep.url()])
            .args(extra)
            .assert()
            .success();
        v
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        super::lcsauth_in(self.dir.path(), Duration::from_secs(90))
    }

    /// `lcsauth login NAME --password-stdin` with `password`.
    pub fn login(&self, password: &str) -> assert_cmd::assert::Assert {
        self.cmd()
            .args(["login", &self.name, "--password-stdin"])
            .write_stdin(format!("{password}\n"))
            .assert()
    }

    pub fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd().args(args).assert()
    }
}

impl Drop for Victim {
    fn drop(&mut self) {
        // Leave nothing in the keyring (keyutils keys outlive the test process).
        let _ = self.cmd().args(["logout", &self.name, "--forget-password"]).ok();
    }
}
