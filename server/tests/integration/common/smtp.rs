//! A small SMTP server for tests, on loopback: it speaks enough of the protocol for a real
//! client (lettre) to deliver to it, and keeps every message it accepts. It refuses every
//! address starting with "bounce", quoting it, as real servers do.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

#[derive(Clone, Debug)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(self.data.as_bytes()).expect("a parsable message")
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }

    pub fn text(&self) -> String {
        self.parsed().body_text(0).unwrap_or_default().to_string()
    }

    /// The calendar attachment, if any.
    pub fn ics(&self) -> Option<String> {
        let parsed = self.parsed();
        parsed
            .attachments()
            .find(|part| mail_parser::MimeHeaders::is_content_type(*part, "text", "calendar"))
            .map(|part| String::from_utf8_lossy(part.contents()).into_owned())
    }
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_on("127.0.0.1:0".parse().unwrap()).await
    }

    pub async fn start_on(addr: SocketAddr) -> SmtpSink {
        let listener = TcpListener::bind(addr).await.expect("bind the SMTP sink");
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        // The connections belong to the accept task, so dropping the sink closes them too:
        // a stopped sink must not keep taking mail over a client's pooled connection.
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((socket, _)) = listener.accept().await {
                connections.spawn(serve(socket, store.clone()));
                while connections.try_join_next().is_some() {}
            }
        });
        SmtpSink { addr, received, task }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn to(&self, recipient: &str) -> Vec<Received> {
        self.messages().into_iter().filter(|m| m.recipients.iter().any(|r| r == recipient)).collect()
    }
}

async fn serve(socket: tokio::net::TcpStream, store: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut recipients = Vec::new();
    if write.write_all(b"220 rounds-test ESMTP\r\n").await.is_err() {
        return;
    }
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let refusal;
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250-rounds-test\r\n250 8BITMIME\r\n"
        } else if command.starts_with("MAIL FROM") {
            recipients.clear();
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO") {
            let address = line.split_once(':').map(|(_, a)| a.trim().trim_matches(['<', '>']).to_string());
            match address {
                Some(address) if address.starts_with("bounce") => {
                    refusal = format!("550 5.1.1 <{address}>: Recipient address rejected: User unknown\r\n");
                    refusal.as_bytes()
                }
                address => {
                    recipients.extend(address);
                    b"250 OK\r\n"
                }
            }
        } else if command == "DATA" {
            if write.write_all(b"354 go ahead\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            let mut complete = false;
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    complete = true;
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                data.push_str("\r\n");
            }
            // A client killed in the middle of DATA never sent the final dot: like a real
            // server, the sink drops that half message instead of keeping it.
            if !complete {
                return;
            }
            store.lock().unwrap().push(Received { recipients: std::mem::take(&mut recipients), data });
            b"250 accepted\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
