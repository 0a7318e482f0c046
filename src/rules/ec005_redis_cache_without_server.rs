use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::ece_tools::cite;
use crate::model::env_yaml::{is_empty, isset, written_in, Merge};
use crate::syntax::{Entry, Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags a cache frontend of `CACHE_CONFIGURATION` in `.magento.env.yaml` (the `deploy`
    /// stage) that uses a Redis backend without a Redis `server`, or without a
    /// port (neither `port` nor a `host:port` server).
    ///
    /// ## Why it matters
    /// When the variable replaces the cache configuration (no `_merge`), ece-tools tests each
    /// Redis frontend's connection before writing it into `app/etc/env.php`: a frontend with
    /// backend `Cm_Cache_Backend_Redis`, `\Magento\Framework\Cache\Backend\Redis` or
    /// `\Magento\Framework\Cache\Backend\RemoteSynchronizedCache` (whose server is read from
    /// `backend_options.remote_backend_options`), or one marked `_custom_redis_backend: true`,
    /// must say where Redis is. Without it ece-tools stops the deploy with error 101
    /// (`DEPLOY_WRONG_CACHE_CONFIGURATION`). With `_merge: true` the generated Redis server
    /// fills the gaps, so merged configurations are not checked.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     CACHE_CONFIGURATION:
    ///       frontend:
    ///         default:
    ///           backend: Cm_Cache_Backend_Redis
    ///           backend_options:
    ///             server: redis.internal
    /// ```
    ///
    /// ## Fix
    /// Write `server` and `port` in the frontend's `backend_options` (`remote_backend_options`
    /// for `RemoteSynchronizedCache`), or `server: redis.internal:6379`; or add `_merge: true`
    /// to keep the Redis connection ece-tools generates.
    ///
    /// ## Source
    /// - ece-tools, `PreDeploy/ConfigUpdate/Cache.php` (the checks and the error): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Step/Deploy/PreDeploy/ConfigUpdate/Cache.php>
    /// - ece-tools, `Config/Factory/Cache.php` (when the variable is used as written): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Factory/Cache.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`CACHE_CONFIGURATION`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct RedisCacheWithoutServer;
    code: "EC005", name: "redis-cache-without-server", severity: Error,
    ece_tools: [101]
}

const REDIS_BACKENDS: [&str; 3] = [
    "Cm_Cache_Backend_Redis",
    "\\Magento\\Framework\\Cache\\Backend\\Redis",
    REMOTE_SYNCHRONIZED,
];
const REMOTE_SYNCHRONIZED: &str = "\\Magento\\Framework\\Cache\\Backend\\RemoteSynchronizedCache";

impl Rule for RedisCacheWithoutServer {
    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        if file.source.kind != FileKind::MagentoEnvYaml {
            return;
        }
        let Some(written) = written_in(&file.document.root, "deploy", "CACHE_CONFIGURATION") else {
            return;
        };
        let Some(config) = Merge::of(written.value()) else {
            return;
        };
        let Some(frontends) = written.value().get("frontend") else {
            return;
        };
        // ece-tools uses the variable as written only when it has frontends and no merge.
        if config.is_empty() || is_empty(frontends) != Some(false) || config.is_merge_required() {
            return;
        }
        for frontend in frontends.value.entries() {
            let Some((options_path, problem)) = problem(frontend) else {
                continue;
            };
            let name = frontend.key.to_string();
            let mut path = vec!["frontend", name.as_str()];
            path.extend(options_path.iter().copied());
            out.push(
                Diagnostic::new(
                    Self::RULE,
                    written.option_location(file.id, &path),
                    format!(
                        "cache frontend `{name}` uses a Redis backend {problem}: {} stops the deploy",
                        cite(101)
                    ),
                )
                .help(format!(
                    "write `server` and `port` under `{}` (or `server: host:port`), or add `_merge: true` to CACHE_CONFIGURATION",
                    options_path.join(".")
                )),
            );
        }
    }
}

/// Where the frontend's Redis options are and what they lack, if it is a Redis frontend
/// ece-tools cannot connect to.
fn problem(frontend: &Entry) -> Option<(Vec<&'static str>, &'static str)> {
    // A backend that is not text makes ece-tools fail otherwise (a PHP type error).
    let backend = frontend.value.get("backend")?.value.as_str()?;
    let custom = frontend
        .value
        .get("_custom_redis_backend")
        .is_some_and(|flag| is_empty(flag) == Some(false));
    if !custom && !REDIS_BACKENDS.contains(&backend) {
        return None;
    }
    let path = match backend == REMOTE_SYNCHRONIZED {
        true => vec!["backend_options", "remote_backend_options"],
        false => vec!["backend_options"],
    };
    let options = path
        .iter()
        .try_fold(&frontend.value, |node: &Node, key| node.get(key))?;
    // Options that are not an array make ece-tools fail otherwise (a PHP type error).
    if !matches!(options.value, Value::Array { .. }) {
        return None;
    }
    let server = options.get("server");
    if server.is_none_or(|s| is_empty(s) == Some(true)) {
        return Some((path, "without a `server`"));
    }
    if isset(options, "port").is_some() {
        return None;
    }
    let server = server?.value.as_str()?;
    (!has_port(server)).then_some((
        path,
        "without a port (no `port`, and the server has no `:port`)",
    ))
}

/// Whether ece-tools reads a port off the server address: `#^(.{1,4}://)?([^:]+)(:([0-9]+))?#`.
fn has_port(server: &str) -> bool {
    let rest = match server.find("://") {
        Some(at) if (1..=4).contains(&server[..at].chars().count()) => &server[at + 3..],
        _ => server,
    };
    // `[^:]+` takes the host, then `:` and at least one digit must follow.
    let Some(colon) = rest.find(':') else {
        return false;
    };
    colon > 0 && rest[colon + 1..].starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::has_port;

    #[test]
    fn reads_the_port_off_the_server_like_ece_tools() {
        assert!(has_port("redis.internal:6379"));
        assert!(has_port("tcp://redis.internal:6379"));
        assert!(has_port("redis:6379/1"));
        assert!(!has_port("redis.internal"));
        assert!(!has_port("tcp://redis.internal"));
        assert!(!has_port("/var/run/redis.sock"));
        assert!(!has_port("redis:port"));
        assert!(!has_port(":6379"));
    }
}
