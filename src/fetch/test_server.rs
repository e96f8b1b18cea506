//! A scripted HTTP/1.1 server on 127.0.0.1 for the fetch tests, so that no test touches the internet.
//!
//! Each connection carries one request (every answer says `Connection: close`); the test's handler decides
//! the reply from the request, and every request is recorded for the test to inspect. Misbehaviour is
//! scripted too: stall before answering, stall or hang up halfway through the body, send it slowly. Bodies
//! can be served by byte range ([`Reply::ranged`]), and the server counts how many requests it held at once.
//! Anything that is not an HTTP request (a TLS ClientHello) gets `400 Bad Request`, as a real plain-HTTP
//! server would answer.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long a stalled connection is held open; far longer than any test's timeout.
const STALL: Duration = Duration::from_secs(30);

/// One request as the server read it.
#[derive(Debug, Clone)]
pub(super) struct Request {
    /// The request target, e.g. `/feed.xml?x=1`.
    pub(super) path: String,
    /// The headers, names lowercased.
    pub(super) headers: Vec<(String, String)>,
}

impl Request {
    /// The value of header `name` (lowercase), if sent.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
pub(super) enum Reply {
    /// A whole answer. `Content-Length` is added unless `close_delimited`, where the body simply ends
    /// with the connection.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        close_delimited: bool,
    },
    /// Read the request, then never answer.
    Stall,
    /// Send the head (stating the whole body's length) and the first `sent` bytes, then stall.
    StallMidBody { body: Vec<u8>, sent: usize },
    /// Send the head (stating the whole body's length) and the first `sent` bytes, then hang up.
    CloseMidBody { body: Vec<u8>, sent: usize },
    /// Wait, then reply.
    After(Duration, Box<Reply>),
    /// Send the reply's head (stating the whole body's length) and the first `usize` bytes of its body, then
    /// hang up.
    HangUpAfter(usize, Box<Reply>),
    /// `200 OK` with `body`, sent in `pieces` equal pieces with a pause of `every` before each.
    Trickle {
        body: Vec<u8>,
        pieces: usize,
        every: Duration,
    },
}

impl Reply {
    /// `200 OK` with `body`.
    pub(super) fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
            close_delimited: false,
        }
    }

    /// `status` with a short text body.
    pub(super) fn status(status: u16) -> Reply {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body: format!("status {status}\n").into_bytes(),
            close_delimited: false,
        }
    }

    /// A redirect to `location`, as given (relative or absolute).
    pub(super) fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).with_header("Location", location)
    }

    /// The same reply with one more header.
    pub(super) fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// `body` served as a file server serves it: `Range: bytes=N-` is honoured with `206 Partial Content`
    /// and `Content-Range: bytes N-LAST/LEN`, or `416 Range Not Satisfiable` and `Content-Range: bytes */LEN`
    /// when N is at or past the end; no `Range` (or any other form) gets `200 OK` with the whole body. With an
    /// `etag`, it is sent as `ETag` and a `Range` is honoured only when `If-Range` is absent or names it
    /// (otherwise the whole body, as RFC 9110 §13.1.5 says).
    pub(super) fn ranged(request: &Request, body: &[u8], etag: Option<&str>) -> Reply {
        let from = request
            .header("range")
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok());
        let validator_matches = match (request.header("if-range"), etag) {
            (None, _) => true,
            (Some(asked), Some(current)) => asked == current,
            (Some(_), None) => false,
        };
        let reply = match from {
            Some(from) if validator_matches && from >= body.len() => Reply::Respond {
                status: 416,
                headers: vec![(
                    "Content-Range".to_owned(),
                    format!("bytes */{}", body.len()),
                )],
                body: Vec::new(),
                close_delimited: false,
            },
            Some(from) if validator_matches => Reply::Respond {
                status: 206,
                headers: vec![(
                    "Content-Range".to_owned(),
                    format!("bytes {from}-{}/{}", body.len() - 1, body.len()),
                )],
                body: body[from..].to_vec(),
                close_delimited: false,
            },
            _ => Reply::ok(body),
        };
        match etag {
            Some(etag) => reply.with_header("ETag", etag),
            None => reply,
        }
    }

    /// The same reply, cut: its head and the first `sent` bytes of its body, then the connection closes.
    pub(super) fn hang_up_after(self, sent: usize) -> Reply {
        Reply::HangUpAfter(sent, Box::new(self))
    }

    /// The same reply without `Content-Length`: the body ends when the connection closes.
    pub(super) fn close_delimited(mut self) -> Reply {
        if let Reply::Respond {
            close_delimited, ..
        } = &mut self
        {
            *close_delimited = true;
        }
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server; it lives until the test process ends.
pub(super) struct TestServer {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
    held: Arc<Held>,
}

/// How many requests are held (read, their answer not yet begun) now, and at most so far.
#[derive(Default)]
struct Held {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1, answering with `handler`.
    pub(super) fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        let held = Arc::new(Held::default());
        let counted = Arc::clone(&held);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let recorded = Arc::clone(&recorded);
                let counted = Arc::clone(&counted);
                thread::spawn(move || serve(stream, &*handler, &recorded, &counted));
            }
        });
        TestServer {
            base,
            requests,
            held,
        }
    }

    /// The most requests held at once so far: read, and waiting for their answer to begin (a reply
    /// [`Reply::After`] a pause is held during the pause). A client cannot have finished with a request
    /// the server still holds, so this never counts more than the client had open at once.
    pub(super) fn most_held_at_once(&self) -> usize {
        self.held.most.load(Ordering::SeqCst)
    }

    /// The absolute URL of `path` on this server.
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every request received so far, in order of arrival.
    pub(super) fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("requests lock").clone()
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, recorded: &Mutex<Vec<Request>>, held: &Held) {
    // A test that goes wrong must not leave this thread waiting forever.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&mut stream) else {
        let _ = stream.write_all(
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    };
    let now = held.now.fetch_add(1, Ordering::SeqCst) + 1;
    held.most.fetch_max(now, Ordering::SeqCst);
    let mut reply = handler(&request);
    recorded.lock().expect("requests lock").push(request);
    while let Reply::After(wait, next) = reply {
        thread::sleep(wait);
        reply = *next;
    }
    held.now.fetch_sub(1, Ordering::SeqCst);
    send(&mut stream, reply);
}

fn send(stream: &mut TcpStream, reply: Reply) {
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
            close_delimited,
        } => {
            let length = (!close_delimited).then_some(body.len());
            let _ = stream.write_all(&head(status, &headers, length));
            let _ = stream.write_all(&body);
        }
        Reply::Stall => thread::sleep(STALL),
        Reply::StallMidBody { body, sent } => {
            let _ = stream.write_all(&head(200, &[], Some(body.len())));
            let _ = stream.write_all(&body[..sent]);
            let _ = stream.flush();
            thread::sleep(STALL);
        }
        Reply::CloseMidBody { body, sent } => {
            let _ = stream.write_all(&head(200, &[], Some(body.len())));
            let _ = stream.write_all(&body[..sent]);
        }
        Reply::After(wait, reply) => {
            thread::sleep(wait);
            send(stream, *reply);
        }
        Reply::HangUpAfter(sent, reply) => match *reply {
            Reply::Respond {
                status,
                headers,
                body,
                close_delimited,
            } => {
                let length = (!close_delimited).then_some(body.len());
                let _ = stream.write_all(&head(status, &headers, length));
                let _ = stream.write_all(&body[..sent.min(body.len())]);
            }
            other => send(stream, other),
        },
        Reply::Trickle {
            body,
            pieces,
            every,
        } => {
            let _ = stream.write_all(&head(200, &[], Some(body.len())));
            let _ = stream.flush();
            for piece in body.chunks(body.len().div_ceil(pieces.max(1)).max(1)) {
                thread::sleep(every);
                let _ = stream.write_all(piece);
                let _ = stream.flush();
            }
        }
    }
}

/// The status line and headers.
fn head(status: u16, headers: &[(String, String)], content_length: Option<usize>) -> Vec<u8> {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Whatever");
    let mut out = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
    if let Some(length) = content_length {
        out.push_str(&format!("Content-Length: {length}\r\n"));
    }
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// Reads one request head; `None` for anything that is not an HTTP request.
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 || stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        // A request line starts with a method in capitals; a TLS handshake starts with byte 0x16.
        if head.is_empty() && !byte[0].is_ascii_uppercase() {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let _method = request_line.next()?;
    let path = request_line.next()?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(Request { path, headers })
}
