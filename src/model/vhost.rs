//! nginx server blocks as deployments. A repository may keep the virtual hosts of several
//! deployments of one installation (`sites-available/www.example.com.conf` and
//! `staging.example.com.conf`, or both `server { … }` blocks in one file), each passing its own
//! settings to PHP: they are as many deployments as the hosts they serve say.
//!
//! Server blocks that set no parameter magelint reads (a redirect to https) are no deployment.
//! Blocks of one deployment are alike: the same kind of host (what `tier::from_host` says of
//! their names: a production-looking host, a `staging` subdomain, a local name) and the same
//! Magento directory (`$MAGE_ROOT`, else `root`) where both are written. So the server blocks
//! of a multi-website setup (`shop-a.com` and `shop-b.com`, each with its `MAGE_RUN_CODE`) stay
//! one deployment, while `www.example.com` and `staging.example.com`, or two checkouts
//! (`/var/www/prod`, `/var/www/staging`), are two.

use super::tier::{self, HostSays};
use crate::diagnostic::{FileId, Location};
use crate::run::SourceFile;
use crate::syntax::{Span, Value};

/// One server block that passes settings magelint reads.
#[derive(Clone, Debug)]
pub(super) struct Block {
    pub file: FileId,
    /// From its `server` word to its `}`.
    pub span: Span,
    /// Its first usable server name.
    pub name: Option<String>,
    /// Where that name is written (else its `server` word): where to point at the block.
    pub anchor: Location,
    /// The Magento directory it serves, without a trailing `/pub`.
    root: Option<String>,
    /// The first of its names that says non-production: what it says, the name, where.
    host: Option<(HostSays, String, Span)>,
}

impl Block {
    fn deployment(&self) -> Option<&str> {
        self.host
            .as_ref()
            .map(|(says, _, _)| says.deployment.as_str())
    }

    /// Why its host name says non-production, and where the name is written.
    pub fn host_evidence(&self) -> Option<(String, Location)> {
        let (says, host, span) = self.host.as_ref()?;
        Some((
            format!("nginx server_name `{host}` {}", says.why),
            Location::new(self.file, *span),
        ))
    }
}

/// The server blocks of nginx file `file` that pass settings magelint reads (the facts keep
/// only those), in file order.
pub(super) fn blocks_of(files: &[SourceFile], file: FileId) -> Vec<Block> {
    let Some(root) = files
        .get(file)
        .and_then(|f| f.facts.as_ref())
        .map(|f| &f.root)
    else {
        return Vec::new();
    };
    let servers = root.get("server").map_or(&[][..], |s| s.value.entries());
    servers
        .iter()
        .filter(|server| {
            server
                .value
                .get("fastcgi_param")
                .is_some_and(|p| !p.value.entries().is_empty())
        })
        .map(|server| {
            let names: Vec<(String, Span)> = server
                .value
                .get("server_name")
                .map_or(&[][..], |n| n.value.entries())
                .iter()
                .filter_map(|entry| match &entry.value.value {
                    Value::String(name) => Some((host_name(name)?, entry.value.span)),
                    _ => None,
                })
                .collect();
            let host = names
                .iter()
                .find_map(|(name, span)| Some((tier::from_host(name)?, name.clone(), *span)));
            let root = server.value.get("root").and_then(|r| match &r.value {
                Value::String(text) => {
                    let text = text.trim_end_matches('/');
                    Some(text.strip_suffix("/pub").unwrap_or(text).to_string())
                }
                _ => None,
            });
            let start = server.value.span.start as usize;
            let anchor = names
                .first()
                .map_or(Span::new(start, start + "server".len()), |(_, at)| *at);
            Block {
                file,
                span: server.value.span,
                anchor: Location::new(file, anchor),
                name: names.first().map(|(name, _)| name.clone()),
                root,
                host,
            }
        })
        .collect()
}

/// A server name as a host name, lower-cased: `*.example.com` and `.example.com` name the
/// domain's hosts; the catch-all `_`, regular expressions (`~…`) and `www.example.*` name no
/// one host.
fn host_name(name: &str) -> Option<String> {
    let name = name
        .strip_prefix("*.")
        .or_else(|| name.strip_prefix('.'))
        .unwrap_or(name);
    let usable =
        !name.is_empty() && name != "_" && !name.starts_with('~') && !name.contains(['*', '$']);
    usable.then(|| name.trim_end_matches('.').to_ascii_lowercase())
}

/// The blocks grouped into deployments (see the module documentation), in order of their
/// first block.
pub(super) fn deployments(blocks: Vec<Block>) -> Vec<Vec<Block>> {
    let mut groups: Vec<Vec<Block>> = Vec::new();
    for block in blocks {
        let alike = |group: &Vec<Block>| {
            group[0].deployment() == block.deployment()
                && group.iter().all(|other| match (&other.root, &block.root) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                })
        };
        match groups.iter_mut().find(|group| alike(group)) {
            Some(group) => group.push(block),
            None => groups.push(vec![block]),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::host_name;

    /// Only a server name that names one host is tier evidence; nginx's catch-all, regular
    /// expressions and wildcard names name none.
    #[test]
    fn host_names() {
        assert_eq!(host_name("Shop.Acme.com."), Some("shop.acme.com".into()));
        assert_eq!(
            host_name("*.staging.acme.com"),
            Some("staging.acme.com".into())
        );
        assert_eq!(host_name(".acme.com"), Some("acme.com".into()));
        for none in [
            "",
            "_",
            "~^(?<sub>.+)\\.acme\\.com$",
            "www.acme.*",
            "$host",
            "*.",
        ] {
            assert_eq!(host_name(none), None, "{none:?}");
        }
    }
}
