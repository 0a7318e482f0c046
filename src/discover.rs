//! discover: walk the given paths and classify every Magento config file by name.
//!
//! Nothing is opened here but ignore files: a file whose name is not a Magento config file is
//! never read. The ignore rules (`.gitignore`, `.ignore`) decide which directories are walked;
//! a Magento config file is read by its name even when git ignores it (`app/etc/env.php` is in
//! Magento's own `.gitignore`, and it is the site), and marked so (`git::GitStatus`).

use crate::git::{GitStatus, Ignores, Index};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

mod environment;
mod walk;

/// The syntax a file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Php,
    Yaml,
    Json,
    /// A Docker Compose env file (`KEY=value` lines), see `syntax::dotenv`.
    DotEnv,
    /// nginx configuration, see `syntax::nginx`.
    Nginx,
    /// XML (pub/errors/local.xml), see `syntax::xml`.
    Xml,
    /// A file only its presence matters for (build_options.ini): not parsed, see
    /// `syntax::presence`.
    Presence,
}

/// What a file is, decided from its path alone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// app/etc/config.php, or its JSON/YAML export (app/etc/config.json).
    ConfigPhp,
    /// app/etc/env.php or a variant (env.staging.php, env.php.prod, env.production.json) — one
    /// deployment's settings. `variant` is the name between the dots, if any.
    EnvPhp { variant: Option<String> },
    /// env.php.sample, config.php.dist, env.php.j2...: parsed and checked, never a deployed site.
    Template,
    /// .magento.env.yaml (ece-tools deploy configuration).
    MagentoEnvYaml,
    /// .magento.app.yaml (Cloud application; its `variables.env` holds CONFIG__ overrides).
    MagentoAppYaml,
    /// .magento/services.yaml.
    ServicesYaml,
    /// .magento/routes.yaml.
    RoutesYaml,
    /// composer.json (tells the edition).
    ComposerJson,
    /// composer.lock (the versions the project runs: Magento, ece-tools, PHP constraints).
    ComposerLock,
    /// pub/errors/local.xml: the error report settings (`report/dir_nesting_level`) a
    /// committed copy gives; ece-tools' build writes one only when none is committed.
    ErrorsLocalXml,
    /// build_options.ini beside app/: the build options of ece-tools before
    /// .magento.env.yaml; only its presence matters (ece-tools warns that it is ignored).
    BuildOptionsIni,
    /// .magelint.yaml, our own configuration.
    MagelintConfig,
    /// docker-compose.yml, compose.yaml or an override (docker-compose.staging.yml): CONFIG__
    /// variables in `services.<name>.environment`. `variant` is the name between the dots.
    DockerCompose { variant: Option<String> },
    /// An env file Docker Compose reads (.env, .env.staging, env/phpfpm.env): `KEY=value`
    /// lines. `variant` is the name beside `env` (`staging`, `phpfpm`).
    DotEnv { variant: Option<String> },
    /// nginx configuration (nginx.conf, Magento's nginx.conf.sample, `*.conf` under an `nginx`
    /// directory): `fastcgi_param CONFIG__… value;`. `variant` is the name before `.conf`.
    Nginx { variant: Option<String> },
    /// Another repository's site summary (`magelint footprint`), given with `--footprint`.
    Footprint,
    /// A file named explicitly on the command line whose name says nothing more.
    Other,
}

impl FileKind {
    /// A short human name, used in messages.
    pub fn describe(&self) -> &'static str {
        match self {
            FileKind::ConfigPhp => "config.php",
            FileKind::EnvPhp { .. } => "env file",
            FileKind::Template => "env/config template",
            FileKind::MagentoEnvYaml => ".magento.env.yaml",
            FileKind::MagentoAppYaml => ".magento.app.yaml",
            FileKind::ServicesYaml => ".magento/services.yaml",
            FileKind::RoutesYaml => ".magento/routes.yaml",
            FileKind::ComposerJson => "composer.json",
            FileKind::ComposerLock => "composer.lock",
            FileKind::ErrorsLocalXml => "pub/errors/local.xml",
            FileKind::BuildOptionsIni => "build_options.ini",
            FileKind::DockerCompose { .. } => "docker-compose file",
            FileKind::DotEnv { .. } => "Docker env file",
            FileKind::Nginx { .. } => "nginx configuration",
            FileKind::MagelintConfig => ".magelint.yaml",
            FileKind::Footprint => "footprint",
            FileKind::Other => "config file",
        }
    }

    /// Whether the file sets CONFIG__ environment variables: `.magento.app.yaml` for every Cloud
    /// environment, the others for one deployment's processes (see `model::environment`).
    pub fn sets_environment(&self) -> bool {
        matches!(
            self,
            FileKind::MagentoAppYaml
                | FileKind::DockerCompose { .. }
                | FileKind::DotEnv { .. }
                | FileKind::Nginx { .. }
        )
    }

    /// Whether the file must `return` an array (a PHP deployment config file).
    pub fn is_deployment_config(&self) -> bool {
        matches!(
            self,
            FileKind::ConfigPhp | FileKind::EnvPhp { .. } | FileKind::Template
        )
    }
}

/// One file to lint.
#[derive(Clone, Debug)]
pub struct SourcePath {
    pub path: PathBuf,
    pub kind: FileKind,
    pub format: Format,
    /// Named on the command line rather than found by walking.
    pub explicit: bool,
    /// Where the file stands in git: rules about what a repository holds skip ignored files.
    pub git: GitStatus,
}

/// Suffixes that make an app/etc file a template rather than a deployed configuration (and a
/// `.env.dist` or `docker-compose.yml.dist` one no deployment reads).
pub(crate) const TEMPLATE_SUFFIXES: &[&str] = &[
    "sample", "dist", "example", "template", "tpl", "j2", "jinja", "twig", "bak", "orig", "old",
];

/// A template a template engine renders (`env.php.j2`, `env.php.twig`), as opposed to a copy
/// meant to be used as it is (`env.php.sample`, `.dist`).
pub fn is_engine_template(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "j2" | "jinja" | "twig" | "tpl"))
}

/// Options for walking.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Walk ignored directories and the skipped directories too (ignored files are marked
    /// ignored all the same).
    pub no_ignore: bool,
    /// Leave out the files git ignores, walked or named: what a commit can hold is linted.
    pub committed_only: bool,
}

/// A problem met while walking (a loop, a vanished or unreadable directory), reported as E003.
#[derive(Clone, Debug)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

/// Walks `roots` and returns the Magento config files in a stable (sorted) order, each with
/// its git status.
pub fn discover(roots: &[PathBuf], options: &WalkOptions) -> (Vec<SourcePath>, Vec<WalkProblem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let ignores = std::sync::Arc::new(Ignores::default());
    let index = std::sync::Arc::new(Index::default());
    // What each root is, asked on every core (a hook may pass thousands of files).
    let is_file: Vec<bool> = roots
        .par_iter()
        .map(|root| root.is_file() || (!root.is_dir() && root.exists()))
        .collect();
    for (root, is_file) in roots.iter().zip(is_file) {
        if is_file {
            let (kind, format) =
                classify(root).unwrap_or_else(|| (FileKind::Other, guess_format(root)));
            files.push(SourcePath {
                path: root.clone(),
                kind,
                format,
                explicit: true,
                git: GitStatus::default(),
            });
            continue;
        }
        if !root.exists() {
            problems.push(WalkProblem {
                path: root.clone(),
                message: "no such file or directory".into(),
            });
            continue;
        }
        walk::walk_dir(root, options, &ignores, &index, &mut files, &mut problems);
    }
    // Ordered (and deduplicated) as `Path` orders, but comparing flat byte keys: `Path::cmp`
    // walks components on every comparison, which cost more than the walk on large trees.
    files.sort_by_cached_key(|f| path_order_key(&f.path));
    files.dedup_by(|a, b| a.path == b.path);
    let excluded = set_git_statuses(&mut files, &ignores, &index);
    // Read by name despite git's rules, but a `.ignore` file is the walk's own exclusion.
    let mut excluded = excluded.into_iter();
    files.retain(|f| {
        let dot_ignored = excluded.next().unwrap_or(false);
        let kept = f.explicit || options.no_ignore || !dot_ignored;
        kept && !(options.committed_only && f.git == GitStatus::Ignored)
    });
    (files, problems)
}

/// Sets each file's git status; returns, per file, whether a `.ignore` file excludes it.
fn set_git_statuses(files: &mut [SourcePath], ignores: &Ignores, index: &Index) -> Vec<bool> {
    let cwd = std::env::current_dir().ok();
    // The files are sorted: the files of one directory mostly come together and share its
    // rules, and where no rule and no repository applies nothing is asked per file.
    let mut rules: Option<(&Path, std::sync::Arc<crate::git::Chain>)> = None;
    files
        .iter_mut()
        .map(|file| {
            let dir = file.path.parent().unwrap_or(Path::new(""));
            let chain = match &rules {
                // The same text: `Path`'s `==` compares component by component.
                Some((known, chain)) if known.as_os_str() == dir.as_os_str() => chain.clone(),
                _ => {
                    let absolute = crate::git::absolute_from(cwd.as_deref(), dir);
                    let chain = ignores.chain(&absolute);
                    rules = Some((dir, chain.clone()));
                    chain
                }
            };
            if chain.is_empty() {
                file.git = GitStatus::Untracked;
                return false;
            }
            let path = crate::git::absolute_from(cwd.as_deref(), &file.path);
            let verdict = chain.judge(&path, false);
            file.git = crate::git::status(&verdict, &path, index);
            verdict.dot_ignored
        })
        .collect()
}

/// A byte string that sorts and compares like the path's components (`Path`'s `Ord`): each
/// component is its kind (in `Component` order), its bytes, then a 0 byte, which sorts before
/// any byte a component can hold.
pub fn path_order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let kind = match component {
            Component::Prefix(_) => 1,
            Component::RootDir => 2,
            Component::CurDir => 3,
            Component::ParentDir => 4,
            Component::Normal(_) => 5,
        };
        key.push(kind);
        key.extend_from_slice(component.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

/// The format of a file by its extension (PHP when unsure).
pub fn guess_format(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => Format::Yaml,
        Some("json") => Format::Json,
        _ => Format::Php,
    }
}

/// Classifies a path by its name; `None` when it is not a Magento config file.
pub fn classify(path: &Path) -> Option<(FileKind, Format)> {
    let name = path.file_name()?.to_str()?;
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    let in_app_etc = parent == Some("etc")
        && path
            .parent()
            .and_then(Path::parent)
            .and_then(|p| p.file_name())
            .is_some_and(|n| n == "app");
    match name {
        ".magento.env.yaml" | ".magento.env.yml" => {
            return Some((FileKind::MagentoEnvYaml, Format::Yaml))
        }
        ".magento.app.yaml" | ".magento.app.yml" => {
            return Some((FileKind::MagentoAppYaml, Format::Yaml))
        }
        ".magelint.yaml" | ".magelint.yml" => {
            return Some((FileKind::MagelintConfig, Format::Yaml))
        }
        "composer.json" => return Some((FileKind::ComposerJson, Format::Json)),
        "composer.lock" => return Some((FileKind::ComposerLock, Format::Json)),
        "services.yaml" if parent == Some(".magento") => {
            return Some((FileKind::ServicesYaml, Format::Yaml))
        }
        "routes.yaml" if parent == Some(".magento") => {
            return Some((FileKind::RoutesYaml, Format::Yaml))
        }
        "build_options.ini" => return Some((FileKind::BuildOptionsIni, Format::Presence)),
        // Only Magento's error page settings: `local.xml` is a common name elsewhere.
        "local.xml"
            if parent == Some("errors")
                && path
                    .parent()
                    .and_then(Path::parent)
                    .and_then(|p| p.file_name())
                    .is_some_and(|n| n == "pub") =>
        {
            return Some((FileKind::ErrorsLocalXml, Format::Xml))
        }
        _ => {}
    }
    if let Some(found) = environment::classify(path, name) {
        return Some(found);
    }
    classify_deployment_config(name, in_app_etc)
}

/// app/etc/config.php, env.php and their variants, exports and templates.
fn classify_deployment_config(name: &str, in_app_etc: bool) -> Option<(FileKind, Format)> {
    let parts: Vec<&str> = name.split('.').collect();
    let (stem, rest) = parts.split_first()?;
    let is_env = *stem == "env";
    // config.php is a very common name outside Magento: only app/etc/config.php is ours.
    if !(is_env || (*stem == "config" && in_app_etc)) {
        return None;
    }
    // Deployment env files also live outside app/etc (docker/env.php, deploy/env.prod.php).
    let format_of = |ext: &str| match ext {
        "php" => Some(Format::Php),
        "json" => Some(Format::Json),
        "yaml" | "yml" if in_app_etc => Some(Format::Yaml),
        _ => None,
    };
    if let Some(last) = rest.last() {
        if TEMPLATE_SUFFIXES.contains(last) {
            let inner = rest.iter().rev().skip(1).find_map(|e| format_of(e))?;
            return Some((FileKind::Template, inner));
        }
    }
    // env.sample.php, env.dist.php, config.example.php: a template named the other way round.
    if let [variant, ext] = rest {
        if TEMPLATE_SUFFIXES.contains(variant) {
            return Some((FileKind::Template, format_of(ext)?));
        }
    }
    let kind = |variant: Option<&str>| {
        if is_env {
            FileKind::EnvPhp {
                variant: variant.map(str::to_string),
            }
        } else {
            FileKind::ConfigPhp
        }
    };
    match rest {
        // env.php, config.php, env.json
        [ext] => Some((kind(None), format_of(ext)?)),
        // env.staging.php / env.php.staging
        [variant, ext] if format_of(ext).is_some() && is_env => {
            Some((kind(Some(variant)), format_of(ext)?))
        }
        [ext, variant] if *ext == "php" && is_env && !variant.is_empty() => {
            Some((kind(Some(variant)), Format::Php))
        }
        _ => None,
    }
}

/// `path` relative to `base`, with `/` separators.
pub fn display_path(path: &Path, base: &Path) -> String {
    let relative = path
        .strip_prefix(base)
        .ok()
        .or_else(|| path.strip_prefix("./").ok())
        .unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<(FileKind, Format)> {
        classify(Path::new(path))
    }

    fn env(variant: Option<&str>) -> FileKind {
        FileKind::EnvPhp {
            variant: variant.map(str::to_string),
        }
    }

    #[test]
    fn path_order_keys_order_like_paths() {
        let paths = [
            "a", "a/b", "a.b", "a/b/c", "a-b/c", "/x", "/x/y", "./a", "../a", "a/../b", "ab",
            "a b", "a/ b", "a/!b", "a/b.php", "a/b/", "z", "", ".", "é/a", "a/é",
        ];
        for x in paths {
            for y in paths {
                let (px, py) = (Path::new(x), Path::new(y));
                assert_eq!(
                    path_order_key(px).cmp(&path_order_key(py)),
                    px.cmp(py),
                    "{x:?} vs {y:?}"
                );
            }
        }
    }

    #[test]
    fn classifies_magento_files_by_name() {
        let cases: &[(&str, Option<(FileKind, Format)>)] = &[
            (
                "a/app/etc/config.php",
                Some((FileKind::ConfigPhp, Format::Php)),
            ),
            ("a/app/etc/env.php", Some((env(None), Format::Php))),
            (
                "a/app/etc/env.staging.php",
                Some((env(Some("staging")), Format::Php)),
            ),
            (
                "a/app/etc/env.php.prod",
                Some((env(Some("prod")), Format::Php)),
            ),
            (
                "a/app/etc/env.php.sample",
                Some((FileKind::Template, Format::Php)),
            ),
            (
                "a/app/etc/env.php.j2",
                Some((FileKind::Template, Format::Php)),
            ),
            (
                "a/app/etc/config.php.dist",
                Some((FileKind::Template, Format::Php)),
            ),
            (
                "a/app/etc/env.sample.php",
                Some((FileKind::Template, Format::Php)),
            ),
            (
                "a/app/etc/env.dist.php",
                Some((FileKind::Template, Format::Php)),
            ),
            (
                "a/app/etc/config.example.php",
                Some((FileKind::Template, Format::Php)),
            ),
            (
                "a/app/etc/env.staging.php.dist",
                Some((FileKind::Template, Format::Php)),
            ),
            ("a/app/etc/env.json", Some((env(None), Format::Json))),
            (
                "a/app/etc/env.staging.yaml",
                Some((env(Some("staging")), Format::Yaml)),
            ),
            (
                "a/app/etc/config.json",
                Some((FileKind::ConfigPhp, Format::Json)),
            ),
            ("docker/env.php", Some((env(None), Format::Php))),
            (
                "Docker/env.docker.php",
                Some((env(Some("docker")), Format::Php)),
            ),
            ("src/config.php", None),
            ("app/etc/di.xml", None),
            ("docker/env.yaml", None),
            (
                ".magento.env.yaml",
                Some((FileKind::MagentoEnvYaml, Format::Yaml)),
            ),
            (
                ".magento.app.yaml",
                Some((FileKind::MagentoAppYaml, Format::Yaml)),
            ),
            (
                ".magento/services.yaml",
                Some((FileKind::ServicesYaml, Format::Yaml)),
            ),
            (
                ".magento/routes.yaml",
                Some((FileKind::RoutesYaml, Format::Yaml)),
            ),
            ("services.yaml", None),
            (
                "composer.json",
                Some((FileKind::ComposerJson, Format::Json)),
            ),
            (
                "composer.lock",
                Some((FileKind::ComposerLock, Format::Json)),
            ),
            (
                ".magelint.yaml",
                Some((FileKind::MagelintConfig, Format::Yaml)),
            ),
            (
                "a/pub/errors/local.xml",
                Some((FileKind::ErrorsLocalXml, Format::Xml)),
            ),
            ("a/app/etc/local.xml", None),
            ("errors/local.xml", None),
            (
                "build_options.ini",
                Some((FileKind::BuildOptionsIni, Format::Presence)),
            ),
            ("README.md", None),
        ];
        for (path, expected) in cases {
            assert_eq!(&kind(path), expected, "{path}");
        }
    }
}
