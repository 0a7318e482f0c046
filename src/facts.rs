//! The facts of a file: what resolve and the site and fleet rules read of it, cut from its
//! parsed tree once its per-file rules have run. The rest of the tree (and, for a file read
//! from disk with nothing to show, the text past its first line) is freed, so a fleet of tens
//! of thousands of files fits in a flat amount of memory, in the CLI and in the editor's cache.

use crate::discover::{FileKind, SourcePath};
use crate::syntax::{self, Document, Entry, Node, Value};

/// The kept part of a parsed file: in a deployment config (config.php, env files), `MAGE_MODE`,
/// the website and store codes of `scopes`, the first Commerce-only module (edition) and Live
/// Search, under
/// `system/default` the `services_connector` and `magento_saas` sections and
/// `web/{secure,unsecure}/base_url` (tier), and of the other scopes their codes and base URLs;
/// of other files what resolve reads of them. Nodes keep their spans and values, so settings read from
/// facts point where they are written.
#[derive(Clone, Debug)]
pub struct Facts {
    pub root: Node,
}

impl Facts {
    /// The facts of a parsed file (the tree is consumed: what is not kept is freed).
    pub fn cut(source: &SourcePath, mut document: Document) -> Facts {
        prune_for_fleet(source, &mut document);
        // A fresh copy of what is kept, so the kept nodes are packed together instead of
        // pinning the pages the whole tree was parsed into.
        Facts {
            root: document.root.clone(),
        }
    }

    /// The whole tree as facts: the plain definition the cut is tested against.
    pub fn whole(document: Document) -> Facts {
        Facts {
            root: document.root,
        }
    }
}

/// Modules only Adobe Commerce ships, as its `app/etc/config.php` lists them (e.g. the
/// `magento/magento-cloud` project template's).
const COMMERCE_MODULES: &[&str] = &[
    "Magento_Staging",
    "Magento_AdminGws",
    "Magento_VersionsCms",
    "Magento_CustomerSegment",
    "Magento_CustomerBalance",
    "Magento_GiftCard",
    "Magento_GiftRegistry",
    "Magento_Reward",
    "Magento_TargetRule",
    "Magento_Rma",
    "Magento_Banner",
    "Magento_CatalogPermissions",
    "Magento_VisualMerchandiser",
    "Magento_WebsiteRestriction",
    "Magento_Enterprise",
    "Magento_SalesArchive",
    "Magento_CloudComponents",
];

/// The Live Search module: with it enabled in config.php, ece-tools deploys without a search
/// service.
pub const LIVE_SEARCH_MODULE: &str = "Magento_LiveSearchAdapter";

/// Whether a `modules` key of config.php names a module only Adobe Commerce ships.
pub fn is_commerce_module(name: &str) -> bool {
    // Every name below starts with `Magento_` (most modules of a fleet do not: skip them fast).
    if !name.starts_with("Magento_") {
        return false;
    }
    name.ends_with("Staging")
        || COMMERCE_MODULES.contains(&name)
        || name.starts_with("Magento_GiftCard")
        || name.starts_with("Magento_AdminGws")
}

/// Cuts a document to what resolve and the site and fleet rules read, for a lean run: in a
/// deployment config (config.php, env files), `MAGE_MODE`, the website and store codes of
/// `scopes`, the
/// first Commerce-only module (edition), under `system/default` the `services_connector` and
/// `magento_saas` sections and `web/{secure,unsecure}/base_url` (tier), and of the other scopes
/// their codes (website codes) and base URLs (tier): site and fleet rules read other settings
/// at `system/default/…` only. Other files keep what resolve reads of them.
fn prune_for_fleet(source: &SourcePath, document: &mut Document) {
    fn keep(node: &mut syntax::Node, wanted: impl FnMut(&syntax::Entry) -> bool) {
        if let Value::Array { entries, .. } = &mut node.value {
            entries.retain(wanted);
            entries.shrink_to_fit();
        }
    }
    /// Of a `web` section, `{secure,unsecure}/base_url`.
    fn keep_base_urls(web: &mut syntax::Node) {
        keep(web, |e| {
            matches!(e.key.as_str(), Some("secure" | "unsecure"))
        });
        if let Value::Array { entries, .. } = &mut web.value {
            for group in entries.iter_mut() {
                keep(&mut group.value, |e| e.key.as_str() == Some("base_url"));
            }
        }
    }
    match source.kind {
        FileKind::ConfigPhp | FileKind::EnvPhp { .. } | FileKind::Template => {}
        // The fleet reads of .magento.app.yaml `variables.env` (CONFIG__ variables, MAGE_MODE),
        // `type` (PHP version), `relationships` (services) and the `build`, `deploy` and
        // `post_deploy` hooks (whether ece-tools runs), and `require` of composer.json
        // (edition).
        FileKind::MagentoAppYaml => {
            keep(&mut document.root, |e| {
                ["variables", "type", "relationships", "hooks"]
                    .iter()
                    .any(|k| e.key.matches(k))
            });
            if let Some(variables) = entry_value_mut(&mut document.root, "variables") {
                keep(variables, |e| e.key.matches("env"));
            }
            if let Some(hooks) = entry_value_mut(&mut document.root, "hooks") {
                keep(hooks, |e| {
                    ["build", "deploy", "post_deploy"]
                        .iter()
                        .any(|k| e.key.matches(k))
                });
            }
            return;
        }
        // Of composer.json: `require` (edition) and `autoload.psr-4` (ece-tools checks the
        // namespaces Magento's setup needs there).
        FileKind::ComposerJson => {
            keep(&mut document.root, |e| {
                e.key.matches("require") || e.key.matches("autoload")
            });
            if let Some(autoload) = entry_value_mut(&mut document.root, "autoload") {
                keep(autoload, |e| e.key.matches("psr-4"));
            }
            return;
        }
        // Of pub/errors/local.xml, the `report` settings; of build_options.ini, nothing.
        FileKind::ErrorsLocalXml => return keep(&mut document.root, |e| e.key.matches("report")),
        FileKind::BuildOptionsIni => return,
        // Of composer.lock: each package's name, version and `require` (PHP constraints), and
        // the platform (overrides).
        FileKind::ComposerLock => {
            let sections = ["packages", "packages-dev", "platform", "platform-overrides"];
            keep(&mut document.root, |e| {
                sections.iter().any(|s| e.key.matches(s))
            });
            for section in ["packages", "packages-dev"] {
                if let Some(packages) = entry_value_mut(&mut document.root, section) {
                    if let Value::Array { entries, .. } = &mut packages.value {
                        for package in entries.iter_mut() {
                            keep(&mut package.value, |e| {
                                ["name", "version", "require"]
                                    .iter()
                                    .any(|k| e.key.matches(k))
                            });
                        }
                    }
                }
            }
            return;
        }
        // A compose file: each service's `environment` (whole: a list's variables are pointed
        // at by index), `env_file` and `volumes` (grouping reads the files they name).
        FileKind::DockerCompose { .. } => {
            keep(&mut document.root, |e| e.key.matches("services"));
            if let Some(services) = entry_value_mut(&mut document.root, "services") {
                if let Value::Array { entries, .. } = &mut services.value {
                    for service in entries.iter_mut() {
                        keep(&mut service.value, |e| {
                            ["environment", "env_file", "volumes"]
                                .iter()
                                .any(|k| e.key.matches(k))
                        });
                    }
                }
            }
            return;
        }
        // Nginx: the variables the fleet reads; env files whole (a compose file's `${NAME}` is
        // read from the project's `.env`).
        FileKind::DotEnv { .. } => return,
        // Of each server block its names and root too (which deployment it is); every block is
        // kept, so pointers count them as the file does.
        FileKind::Nginx { .. } => {
            if let Some(params) = entry_value_mut(&mut document.root, "fastcgi_param") {
                keep(params, is_read_variable);
            }
            if let Some(Value::Array { entries, .. }) =
                entry_value_mut(&mut document.root, "server").map(|s| &mut s.value)
            {
                for server in entries.iter_mut() {
                    if let Some(params) = entry_value_mut(&mut server.value, "fastcgi_param") {
                        keep(params, is_read_variable);
                    }
                }
            }
            return;
        }
        FileKind::MagentoEnvYaml => return prune_env_yaml(&mut document.root),
        _ => return,
    }
    let Value::Array { entries, .. } = &mut document.root.value else {
        return;
    };
    entries.retain_mut(|entry| match entry.key.as_str() {
        Some("scopes") => {
            // The fleet reads the website and store codes (keys), and whether a scope says
            // anything about itself (ece-tools' check that config.php lists scopes counts
            // non-empty values), not what; store groups are read by no site or fleet rule.
            if let Value::Array { entries, .. } = &mut entry.value.value {
                entries.retain(|section| !section.key.matches("groups"));
                for section in entries.iter_mut() {
                    if let Value::Array { entries, .. } = &mut section.value.value {
                        for scope in entries.iter_mut() {
                            let mut found = false;
                            keep(&mut scope.value, |e| {
                                let first = !found && is_truthy(&e.value.value);
                                found |= first;
                                first
                            });
                        }
                    }
                }
            }
            true
        }
        Some("modules") => {
            // The edition is read off the first Commerce-only module: keep that one, and Live
            // Search (ece-tools' search-service checks accept it instead of a search service).
            let mut found = false;
            keep(&mut entry.value, |e| {
                let first = !found && e.key.as_str().is_some_and(is_commerce_module);
                found |= first;
                // And Baler (ece-tools checks it for SCD_USE_BALER).
                first || e.key.matches(LIVE_SEARCH_MODULE) || e.key.matches("Magento_Baler")
            });
            true
        }
        Some("system") => {
            if let Value::Array { entries, .. } = &mut entry.value.value {
                for scope in entries.iter_mut() {
                    if scope.key.as_str() == Some("default") {
                        keep(&mut scope.value, |e| {
                            e.key.as_str().is_some_and(|k| {
                                matches!(k, "services_connector" | "magento_saas" | "web" | "dev")
                            })
                        });
                        // Of `dev`, the `js` settings ece-tools' Baler check reads.
                        if let Some(dev) = entry_value_mut(&mut scope.value, "dev") {
                            keep(dev, |e| e.key.matches("js"));
                            if let Some(js) = entry_value_mut(dev, "js") {
                                keep(js, |e| {
                                    [
                                        "enable_baler_js_bundling",
                                        "minify_files",
                                        "enable_js_bundling",
                                        "merge_files",
                                    ]
                                    .iter()
                                    .any(|k| e.key.matches(k))
                                });
                            }
                        }
                        if let Some(web) = entry_value_mut(&mut scope.value, "web") {
                            keep_base_urls(web);
                        }
                    } else if let Value::Array { entries, .. } = &mut scope.value.value {
                        // Of a website or store view, its base URLs (tier).
                        for code in entries.iter_mut() {
                            keep(&mut code.value, |e| e.key.as_str() == Some("web"));
                            if let Some(web) = entry_value_mut(&mut code.value, "web") {
                                keep_base_urls(web);
                            }
                        }
                    }
                }
            }
            true
        }
        // Of the top-level settings, resolve and the rules read `MAGE_MODE` (tier, MG004,
        // MG008) only.
        Some("MAGE_MODE") => !matches!(entry.value.value, Value::Array { .. }),
        _ => false,
    });
    // `retain` keeps the capacity: shrink what is kept, or the cut entries' room stays.
    let mut stack = vec![&mut document.root];
    while let Some(node) = stack.pop() {
        if let Value::Array { entries, .. } = &mut node.value {
            entries.shrink_to_fit();
            stack.extend(entries.iter_mut().map(|e| &mut e.value));
        }
    }
}

/// A process environment variable the fleet reads: a CONFIG__ variable, or `MAGE_MODE` (tier).
fn is_read_variable(entry: &syntax::Entry) -> bool {
    entry
        .key
        .as_str()
        .is_some_and(|name| name.starts_with("CONFIG__") || name == "MAGE_MODE")
}

/// Every offset a kept node starts or ends at (its value and its key), in document order
/// (so `LineIndex::sparse` finds them sorted; it sorts them all the same).
pub fn kept_offsets(facts: &Facts) -> Vec<u32> {
    let root = &facts.root;
    let mut offsets = vec![root.span.start];
    // The arrays being walked, each with the offset it ends at (written once its entries are).
    let mut stack = vec![(root.value.entries().iter(), root.span.end)];
    while let Some((level, end)) = stack.last_mut() {
        let Some(entry) = level.next() else {
            offsets.push(*end);
            stack.pop();
            continue;
        };
        if let Some(key) = entry.key_span.get() {
            offsets.extend([key.start, key.end]);
        }
        offsets.push(entry.value.span.start);
        match &entry.value.value {
            Value::Array { entries, .. } => stack.push((entries.iter(), entry.value.span.end)),
            _ => offsets.push(entry.value.span.end),
        }
    }
    offsets
}

/// Whether PHP reads a value as true (a value known only at run time counts as true, so no
/// finding rests on it being empty).
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::String(s) => !s.is_empty() && s != "0",
        Value::Array { entries, .. } => !entries.is_empty(),
        Value::Dynamic(_) => true,
    }
}

fn entry_value_mut<'n>(node: &'n mut syntax::Node, name: &str) -> Option<&'n mut syntax::Node> {
    match &mut node.value {
        Value::Array { entries, .. } => entries
            .iter_mut()
            .find(|e| e.key.matches(name))
            .map(|e| &mut e.value),
        _ => None,
    }
}

/// Where the first line ends (after its line break), when text follows it: a lean run keeps
/// that first line (ML003 points at it) and frees the rest.
pub fn first_line_end(text: &str) -> Option<usize> {
    let end = text.find('\n')? + 1;
    (end < text.len()).then_some(end)
}

/// Cuts `text` at `end` (from `first_line_end`) and frees the rest.
pub fn cut_text(text: &mut String, end: usize) {
    text.truncate(end);
    text.shrink_to_fit();
}

/// The variables of .magento.env.yaml the fleet rules read, in any stage; the facts keep these
/// only (see `prune_env_yaml`).
pub const ENV_YAML_FLEET_VARIABLES: &[&str] = &[
    "SEARCH_CONFIGURATION",
    "SPLIT_DB",
    "DATABASE_CONFIGURATION",
    "SCD_ON_DEMAND",
    "SKIP_SCD",
    "SCD_STRATEGY",
    "SCD_THREADS",
    "SCD_MAX_EXECUTION_TIME",
    "CRON_CONSUMERS_RUNNER",
    "GENERATED_CODE_SYMLINK",
    "DEPLOYED_MAGENTO_VERSION_FROM_GIT",
    "SKIP_HTML_MINIFICATION",
];

/// Cuts a .magento.env.yaml tree to what the fleet rules read: every variable of each stage
/// for the schema check (list items emptied), and [`ENV_YAML_FLEET_VARIABLES`] of each
/// stage; of DATABASE_CONFIGURATION only whether `connection.quote`/`connection.sales` are
/// set, of SEARCH_CONFIGURATION its `engine` and `_merge`, of CRON_CONSUMERS_RUNNER nothing
/// below it (it is only asked whether it is written).
pub fn prune_env_yaml(root: &mut Node) {
    retain_entries(root, |e| e.key.matches("stage"));
    let Some(stages) = entry_value_mut(root, "stage") else {
        return;
    };
    let Value::Array { entries, .. } = &mut stages.value else {
        return;
    };
    let listed = |e: &Entry| {
        ENV_YAML_FLEET_VARIABLES
            .iter()
            .any(|name| e.key.matches(name))
    };
    for stage in entries.iter_mut() {
        // ece-tools' schema check (check::env_yaml) reads every variable's type, its scalar
        // value and, of a list, the items' types and values (SPLIT_DB): below the items of the
        // variables no validator rule reads, nothing is kept.
        if let Value::Array { entries, .. } = &mut stage.value.value {
            for variable in entries.iter_mut().filter(|v| !listed(v)) {
                if let Value::Array { entries, .. } = &mut variable.value.value {
                    for item in entries.iter_mut() {
                        retain_entries(&mut item.value, |_| false);
                    }
                }
            }
        }
        if let Some(search) = entry_value_mut(&mut stage.value, "SEARCH_CONFIGURATION") {
            retain_entries(search, |e| {
                e.key.matches("engine") || e.key.matches("_merge")
            });
        }
        if let Some(runner) = entry_value_mut(&mut stage.value, "CRON_CONSUMERS_RUNNER") {
            retain_entries(runner, |_| false);
        }
        if let Some(database) = entry_value_mut(&mut stage.value, "DATABASE_CONFIGURATION") {
            // `_merge` and whether anything else is written (EC071: the configuration then
            // replaces the relationships' connections); of the rest only the keys.
            if let Value::Array { entries, .. } = &mut database.value {
                for entry in entries.iter_mut() {
                    if !entry.key.matches("connection") && !entry.key.matches("_merge") {
                        retain_entries(&mut entry.value, |_| false);
                    }
                }
            }
            if let Some(connections) = entry_value_mut(database, "connection") {
                retain_entries(connections, |e| {
                    e.key.matches("quote") || e.key.matches("sales")
                });
                if let Value::Array { entries, .. } = &mut connections.value {
                    for connection in entries.iter_mut() {
                        retain_entries(&mut connection.value, |_| false);
                    }
                }
            }
        }
    }
}

fn retain_entries(node: &mut Node, wanted: impl FnMut(&Entry) -> bool) {
    if let Value::Array { entries, .. } = &mut node.value {
        entries.retain(wanted);
        entries.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The offsets are every kept node's value and key ends (the plain walk below), and come
    /// in document order.
    #[test]
    fn kept_offsets_are_every_node_end_in_order() {
        let text = "<?php return [\n  'a' => ['x' => 1, 'y' => [2, [3]]],\n  'b' => 'z',\n  'c' => [],\n];\n";
        let document = syntax::php::parse(text, &syntax::Limits::default()).expect("parses");
        let mut plain = vec![document.root.span.start, document.root.span.end];
        let mut stack = vec![&document.root];
        while let Some(node) = stack.pop() {
            for entry in node.value.entries() {
                plain.extend([entry.value.span.start, entry.value.span.end]);
                if let Some(key) = entry.key_span.get() {
                    plain.extend([key.start, key.end]);
                }
                stack.push(&entry.value);
            }
        }
        plain.sort_unstable();
        let offsets = kept_offsets(&Facts::whole(document.clone()));
        assert!(offsets.is_sorted(), "{offsets:?}");
        assert_eq!(offsets, plain);
    }

    #[test]
    fn an_env_yaml_keeps_only_what_the_fleet_rules_read() {
        let yaml = |text: &str| {
            syntax::yaml::parse(text, &syntax::Limits::default())
                .expect("parses")
                .root
        };
        let mut root = yaml(concat!(
            "stage:\n",
            "  deploy:\n",
            "    SCD_THREADS: 2\n",
            "    QUEUE_CONFIGURATION: {amqp: {host: x}}\n",
            "    SEARCH_CONFIGURATION: {engine: mysql, host: h, _merge: true}\n",
            "    DATABASE_CONFIGURATION:\n",
            "      connection: {default: {password: secret}, quote: {host: q}}\n",
            "      table_prefix: x\n",
            "    CRON_CONSUMERS_RUNNER: {cron_run: true}\n",
            "log: {gelf: {}}\n",
        ));
        prune_env_yaml(&mut root);
        let kept = yaml(concat!(
            "stage:\n",
            "  deploy:\n",
            "    SCD_THREADS: 2\n",
            // Every variable stays for the schema check, its items emptied.
            "    QUEUE_CONFIGURATION: {amqp: {}}\n",
            "    SEARCH_CONFIGURATION: {engine: mysql, _merge: true}\n",
            "    DATABASE_CONFIGURATION:\n",
            "      connection: {quote: {}}\n",
            // Other keys stay (EC071 asks whether anything but `_merge` is written).
            "      table_prefix: x\n",
            "    CRON_CONSUMERS_RUNNER: {}\n",
        ));
        let plain = |n: &Node| crate::syntax::dump::to_json(n);
        assert_eq!(plain(&root), plain(&kept));
    }
}
