//! The HTTP transport (`transportMode=http`, `httpPath=cliservice`): each RPC is a POST to
//! `/cliservice` whose body is one binary Thrift message, answered by one. Credentials come in
//! `Authorization: Basic`; the server then sets a signed cookie (`hive.server2.auth`) with which later
//! requests may skip them. Sessions outlive the HTTP connections that carry their calls.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ring::hmac;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

use crate::connection::answer;
use crate::service::{read_call, Service};
use crate::wire::{decode, Decoded};

const COOKIE: &str = "hive.server2.auth";
const COOKIE_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Signs and checks session cookies with a key made when the server starts.
pub struct CookieSigner {
    key: hmac::Key,
}

impl CookieSigner {
    pub fn new() -> Self {
        let seed: Vec<u8> = uuid::Uuid::new_v4().as_bytes().iter().chain(uuid::Uuid::new_v4().as_bytes()).copied().collect();
        CookieSigner { key: hmac::Key::new(hmac::HMAC_SHA256, &seed) }
    }

    fn sign(&self, user: &str) -> String {
        let expires = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| (d + COOKIE_LIFETIME).as_secs()).unwrap_or(0);
        let payload = format!("u={user}&e={expires}");
        let tag = hmac::sign(&self.key, payload.as_bytes());
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag.as_ref());
        format!("{payload}&s={sig}")
    }

    /// The user a valid, unexpired cookie names.
    fn check(&self, cookie: &str) -> Option<String> {
        let (payload, sig) = cookie.rsplit_once("&s=")?;
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).ok()?;
        hmac::verify(&self.key, payload.as_bytes(), &sig).ok()?;
        let mut user = None;
        let mut expires = 0u64;
        for part in payload.split('&') {
            match part.split_once('=') {
                Some(("u", u)) => user = Some(u.to_string()),
                Some(("e", e)) => expires = e.parse().ok()?,
                _ => {}
            }
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
        (expires > now).then_some(user).flatten()
    }
}

impl Default for CookieSigner {
    fn default() -> Self {
        Self::new()
    }
}

/// Serves HTTP clients on `listener` until `shutdown` fires.
pub async fn run(listener: TcpListener, service: Arc<Service>, max_message: usize, shutdown: CancellationToken) {
    let signer = Arc::new(CookieSigner::new());
    crate::accept_loop(listener, shutdown, move |socket, peer| {
        let (service, signer) = (service.clone(), signer.clone());
        async move {
            if let Err(e) = serve(socket, peer, &service, &signer, max_message).await {
                tracing::warn!(%peer, error = %e, "closing HiveServer2 HTTP connection");
            }
        }
    })
    .await;
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

async fn read_request(r: &mut BufReader<TcpStream>, max: usize) -> std::io::Result<Option<Request>> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let mut line = String::new();
    if r.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else { return Err(bad("malformed request line")) };
    let (method, path) = (method.to_string(), path.to_string());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Err(bad("connection closed in the headers"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':').ok_or_else(|| bad("malformed header"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
        if headers.len() > 100 {
            return Err(bad("too many headers"));
        }
    }
    let mut req = Request { method, path, headers, body: Vec::new() };
    if req.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            line.clear();
            r.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16).map_err(|_| bad("bad chunk size"))?;
            if req.body.len() + size > max {
                return Err(bad("request body over the message size limit"));
            }
            if size == 0 {
                line.clear();
                r.read_line(&mut line).await?;
                break;
            }
            let start = req.body.len();
            req.body.resize(start + size, 0);
            r.read_exact(&mut req.body[start..]).await?;
            line.clear();
            r.read_line(&mut line).await?;
        }
    } else {
        let len: usize = req.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        if len > max {
            return Err(bad("request body over the message size limit"));
        }
        req.body.resize(len, 0);
        r.read_exact(&mut req.body).await?;
    }
    Ok(Some(req))
}

async fn respond(w: &mut BufReader<TcpStream>, status: &str, headers: &[(&str, String)], body: &[u8]) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let s = w.get_mut();
    s.write_all(out.as_bytes()).await?;
    s.write_all(body).await?;
    s.flush().await
}

/// The user of a request: from a valid cookie, or from Basic credentials the backend accepts.
fn authenticate(req: &Request, signer: &CookieSigner, service: &Service) -> (Option<String>, bool) {
    let cookie_user = req.header("cookie").and_then(|c| {
        c.split(';').map(str::trim).find_map(|kv| kv.strip_prefix(&format!("{COOKIE}="))).and_then(|v| signer.check(v))
    });
    if cookie_user.is_some() {
        return (cookie_user, false);
    }
    let basic = req
        .header("authorization")
        .and_then(|a| a.strip_prefix("Basic ").or_else(|| a.strip_prefix("basic ")))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
        .and_then(|d| String::from_utf8(d).ok())
        .and_then(|d| d.split_once(':').map(|(u, p)| (u.to_string(), p.to_string())))
        .filter(|(u, p)| service.authenticate(u, p).is_ok())
        .map(|(u, _)| u);
    (basic, true)
}

async fn serve(socket: TcpStream, peer: SocketAddr, service: &Service, signer: &CookieSigner, max: usize) -> Result<(), String> {
    let mut conn = BufReader::new(socket);
    let mut scratch = Vec::new();
    while let Some(req) = read_request(&mut conn, max).await.map_err(|e| e.to_string())? {
        if req.path.trim_end_matches('/') != "/cliservice" {
            respond(&mut conn, "404 Not Found", &[], b"").await.map_err(|e| e.to_string())?;
            continue;
        }
        if req.method != "POST" {
            respond(&mut conn, "405 Method Not Allowed", &[("Allow", "POST".into())], b"").await.map_err(|e| e.to_string())?;
            continue;
        }
        let (user, fresh) = authenticate(&req, signer, service);
        let Some(user) = user else {
            let h = [("WWW-Authenticate", "Basic realm=\"hivewire\"".to_string())];
            respond(&mut conn, "401 Unauthorized", &h, b"").await.map_err(|e| e.to_string())?;
            continue;
        };
        let body = match decode(&req.body, read_call) {
            Ok(Decoded::Call { name, seq, arg, .. }) => {
                answer(service, &name, seq, arg, &mut scratch, Some(&user)).await.map_err(|e| e.to_string())?
            }
            Ok(Decoded::Incomplete) | Err(_) => {
                tracing::warn!(%peer, "HTTP request body is not one Thrift call");
                respond(&mut conn, "400 Bad Request", &[], b"").await.map_err(|e| e.to_string())?;
                return Ok(());
            }
        };
        // Sessions opened over HTTP live until CloseSession, not until this connection ends.
        scratch.clear();
        let mut headers = vec![("Content-Type", "application/x-thrift".to_string())];
        if fresh {
            headers.push(("Set-Cookie", format!("{COOKIE}={}; Path=/; HttpOnly", signer.sign(&user))));
        }
        respond(&mut conn, "200 OK", &headers, &body).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::CookieSigner;

    #[test]
    fn cookies_are_signed() {
        let s = CookieSigner::new();
        let c = s.sign("alice");
        assert_eq!(s.check(&c).as_deref(), Some("alice"));
        assert_eq!(s.check(&c.replace("alice", "mallory")), None);
        assert_eq!(CookieSigner::new().check(&c), None);
    }
}
