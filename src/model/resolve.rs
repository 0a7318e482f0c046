//! Builds the fleet model from the parsed files and the `.magelint.yaml` declarations.

use super::environment::{self, PlannedSite};
use super::pointer;
use super::spaces::{all_site_facts, collect_data_spaces, SiteFact};
use super::{paths, tier, DataSpaceRef, EditionKind, Evidence, Fleet, Installation, Site};
use crate::config::{normalize, read_declarations, Declarations};
use crate::diagnostic::{FileId, Location};
use crate::discover::FileKind;
use crate::facts::is_commerce_module;
use crate::run::SourceFile;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Resolves installations, sites and data spaces. `base` makes declared paths comparable with
/// walked ones.
pub fn resolve<'a>(files: &'a [SourceFile], base: &Path) -> Fleet<'a> {
    let absolute = |p: &Path| normalize(&base.join(p));
    let declarations = declarations_of(files, &absolute);
    let mut fleet = empty_fleet(files);
    // Installations, and then their sites, are independent of each other: resolve them on
    // every core (collect keeps their order, so ids and output never depend on scheduling).
    let roots = installation_roots(files, &absolute);
    let normal_base = normalize(base);
    fleet.installations = roots
        .into_par_iter()
        .map(|(root, members)| {
            build_installation(&fleet, root, &members, &declarations, &normal_base)
        })
        .collect();
    let sites: Vec<Vec<Site>> = (0..fleet.installations.len())
        .into_par_iter()
        .map(|index| sites_of(&fleet, index, &declarations, &absolute))
        .collect();
    // Sized up front: `flatten` cannot tell its length, and growing by doubling left up to
    // half the largest vector of the model unused.
    let mut all = Vec::with_capacity(sites.iter().map(Vec::len).sum());
    all.extend(sites.into_iter().flatten());
    fleet.sites = all;
    let per_site = all_site_facts(&fleet);
    finish_fleet(&mut fleet, &declarations, &per_site);
    fleet
}

/// The declarations of every `.magelint.yaml` among `files`.
pub(super) fn declarations_of(
    files: &[SourceFile],
    absolute: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> Declarations {
    let mut declarations = Declarations::default();
    for (id, file) in files.iter().enumerate() {
        if let (FileKind::MagelintConfig, Some(facts)) = (&file.source.kind, &file.facts) {
            let found = read_declarations(id, &absolute(&file.source.path), &facts.root);
            declarations.installations.extend(found.installations);
            declarations.data_spaces.extend(found.data_spaces);
        }
    }
    declarations
}

/// A fleet of `files` with no installation or site yet.
pub(super) fn empty_fleet(files: &[SourceFile]) -> Fleet<'_> {
    Fleet {
        files,
        installations: Vec::new(),
        sites: Vec::new(),
        data_spaces: BTreeMap::new(),
        env_yaml_checks: std::sync::OnceLock::new(),
        focus: None,
        system_defaults: files
            .par_iter()
            .map(|f| {
                let root = &f.facts.as_ref()?.root;
                root.path("system/default")
            })
            .collect(),
    }
}

/// Once the local sites are known: the data spaces (from each site's `site_facts`), and the
/// sites of other repositories.
pub(super) fn finish_fleet(
    fleet: &mut Fleet<'_>,
    declarations: &Declarations,
    per_site: &[Vec<SiteFact>],
) {
    collect_data_spaces(fleet, declarations, per_site);
    super::footprint::add_foreign_sites(fleet);
}

/// Groups files by installation root (the directory holding app/etc).
pub(super) fn installation_roots(
    files: &[SourceFile],
    absolute: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> Vec<(PathBuf, Vec<FileId>)> {
    enum Place {
        /// A deployment config inside `<root>/app/etc`.
        Root(PathBuf),
        /// Elsewhere: its absolute directory, and whether it sits beside `app/`.
        Pending(PathBuf, bool),
        /// A file setting a deployment's environment (compose, env file, nginx): its absolute
        /// directory, and for a compose file the files it names (`env_file:`, bind mounts).
        Environment(PathBuf, Vec<PathBuf>),
    }
    let app_etc_root = |path: &Path| {
        let etc = path.parent()?;
        let app = etc.parent()?;
        (etc.file_name()? == "etc" && app.file_name()? == "app")
            .then(|| app.parent().map(absolute))?
    };
    // Where each file belongs (absolute paths cost allocations: on every core).
    let places: Vec<Option<Place>> = files
        .par_iter()
        .map(|file| {
            // A file that does not parse to an array (E001/E002) is no configuration Magento
            // can load, so it is no part of a site either.
            let is_array = file
                .facts
                .as_ref()
                .is_some_and(|d| matches!(d.root.value, crate::syntax::Value::Array { .. }));
            if !is_array {
                return None;
            }
            let path = &file.source.path;
            let dir = || path.parent().map(absolute).unwrap_or_default();
            match &file.source.kind {
                FileKind::ConfigPhp | FileKind::EnvPhp { .. } | FileKind::Template => {
                    Some(match app_etc_root(path) {
                        Some(root) => Place::Root(root),
                        None => Place::Pending(dir(), false),
                    })
                }
                FileKind::MagentoAppYaml
                | FileKind::MagentoEnvYaml
                | FileKind::ComposerJson
                | FileKind::ComposerLock
                | FileKind::BuildOptionsIni => Some(Place::Pending(dir(), true)),
                // pub/errors/local.xml: the root is two directories up.
                FileKind::ErrorsLocalXml => {
                    let root = path.parent().and_then(Path::parent).and_then(Path::parent);
                    Some(Place::Pending(root.map(absolute).unwrap_or_default(), true))
                }
                // .magento/services.yaml: beside app/ is the directory above .magento/.
                FileKind::ServicesYaml => {
                    let project = path.parent().and_then(Path::parent);
                    Some(Place::Pending(
                        project.map(absolute).unwrap_or_default(),
                        true,
                    ))
                }
                FileKind::DockerCompose { .. } => {
                    let dir = dir();
                    let root = &file.facts.as_ref()?.root;
                    let named = super::environment::references(root, &dir, absolute);
                    Some(Place::Environment(dir, named))
                }
                FileKind::DotEnv { .. } | FileKind::Nginx { .. } => {
                    Some(Place::Environment(dir(), Vec::new()))
                }
                _ => None,
            }
        })
        .collect();
    // Keyed by the paths' bytes: every path here is normalized (`absolute`, or an ancestor of
    // one), and normalized paths are equal as `Path`s exactly when their bytes are; hashing
    // bytes is much cheaper than `Path`'s component by component hash.
    let mut roots: std::collections::HashMap<OsString, Vec<FileId>> = Default::default();
    let mut pending = Vec::new();
    let mut environment = Vec::new();
    for (id, place) in places.into_iter().enumerate() {
        match place {
            Some(Place::Root(root)) => roots.entry(root.into()).or_default().push(id),
            Some(Place::Pending(dir, beside)) => pending.push((id, dir, beside)),
            Some(Place::Environment(dir, named)) => environment.push((id, dir, named)),
            None => {}
        }
    }
    // Files beside app/ (composer.json, .magento.app.yaml) join the installation in their
    // directory; env files elsewhere (docker/env.php) join the nearest installation above them.
    for (id, dir, beside) in pending {
        if beside {
            if let Some(members) = roots.get_mut(dir.as_os_str()) {
                members.push(id);
            }
            continue;
        }
        let owner = dir
            .ancestors()
            .find(|a| roots.contains_key(a.as_os_str()))
            .map(Path::to_path_buf);
        roots
            .entry(owner.unwrap_or(dir).into())
            .or_default()
            .push(id);
    }
    environment::attach(&mut roots, environment, files, absolute);
    // In path order (as `Path` orders), so installation ids never depend on hashing.
    let mut ordered: Vec<(PathBuf, Vec<FileId>)> = roots
        .into_iter()
        .map(|(root, members)| (PathBuf::from(root), members))
        .collect();
    ordered.sort_by_cached_key(|(root, _)| crate::discover::path_order_key(root));
    ordered
}

/// One installation of `members`; `normal_base` (normalized) is what names are relative to.
pub(super) fn build_installation(
    fleet: &Fleet<'_>,
    root: PathBuf,
    members: &[FileId],
    declarations: &Declarations,
    normal_base: &Path,
) -> Installation {
    let files = fleet.files;
    let of_kind = |pred: fn(&FileKind) -> bool| -> Vec<FileId> {
        members
            .iter()
            .copied()
            .filter(|&id| pred(&files[id].source.kind))
            .collect()
    };
    let config_php = of_kind(|k| *k == FileKind::ConfigPhp).first().copied();
    let app_yaml = of_kind(|k| *k == FileKind::MagentoAppYaml).first().copied();
    let composer = of_kind(|k| *k == FileKind::ComposerJson).first().copied();
    let composer_lock = of_kind(|k| *k == FileKind::ComposerLock).first().copied();
    let env_yaml = of_kind(|k| *k == FileKind::MagentoEnvYaml).first().copied();
    let services_yaml = of_kind(|k| *k == FileKind::ServicesYaml).first().copied();
    let errors_local_xml = of_kind(|k| *k == FileKind::ErrorsLocalXml).first().copied();
    let build_options_ini = of_kind(|k| *k == FileKind::BuildOptionsIni)
        .first()
        .copied();
    let env_files = of_kind(|k| matches!(k, FileKind::EnvPhp { .. }));
    // In path order whatever the files' ids (an editor buffer may come first).
    let mut environment_files = of_kind(|k| k.sets_environment() && *k != FileKind::MagentoAppYaml);
    environment_files.sort_by_cached_key(|&id| {
        crate::discover::path_order_key(Path::new(&files[id].display_path))
    });
    let name = crate::sources::display_path(&root, normal_base);
    let root_node =
        |id: Option<FileId>| id.and_then(|id| files[id].facts.as_ref()).map(|d| &d.root);

    // Every CONFIG__ variable the installation's files set; one written once but read twice (a
    // YAML anchor used by two services) is one variable.
    let mut config_variables: Vec<super::ConfigVariable> = Vec::new();
    for id in app_yaml.iter().chain(&environment_files).copied() {
        let Some(root) = root_node(Some(id)) else {
            continue;
        };
        for (variable, _) in super::variables_in(id, &files[id].source.kind, root) {
            let known = config_variables
                .iter()
                .any(|v| v.location.file == id && v.location.span == variable.location.span);
            if !known {
                config_variables.push(variable);
            }
        }
    }
    let scopes = root_node(config_php).and_then(|r| r.get("scopes"));
    let codes = |section: &str| -> Vec<(compact_str::CompactString, Location)> {
        let (Some(id), Some(scopes)) = (config_php, scopes) else {
            return Vec::new();
        };
        scopes.get(section).map_or(Vec::new(), |n| {
            n.value
                .entries()
                .iter()
                .map(|e| {
                    let span = e.key_span.get().unwrap_or(e.value.span);
                    let key = pointer::key_text(&e.key);
                    let pointer = pointer::joined(&["/scopes/", section, "/", &key]);
                    (key.into(), Location::new(id, span).with_pointer(pointer))
                })
                .collect()
        })
    };
    let edition = edition(&root, config_php, composer, files, declarations);
    Installation {
        name,
        config_php,
        env_files,
        app_yaml,
        composer,
        composer_lock,
        env_yaml,
        services_yaml,
        errors_local_xml,
        build_options_ini,
        edition,
        environment_files,
        config_variables,
        website_codes: codes("websites"),
        store_codes: codes("stores"),
        has_scopes: scopes.is_some(),
        root,
    }
}

/// Edition: `.magelint.yaml`, then composer.json, then Commerce-only modules in config.php.
fn edition(
    root: &Path,
    config_php: Option<FileId>,
    composer: Option<FileId>,
    files: &[SourceFile],
    declarations: &Declarations,
) -> Evidence<EditionKind> {
    let declared = declarations
        .installations
        .iter()
        .filter(|d| d.path == root)
        .find_map(|d| d.edition.clone());
    if let Some(declared) = declared {
        return Evidence {
            value: declared.value,
            reason: format!("declared `{}` in .magelint.yaml", declared.value.describe()).into(),
            location: Some(declared.location),
        };
    }
    let document = |id: Option<FileId>| id.and_then(|id| Some((id, files[id].facts.as_ref()?)));
    if let Some((id, doc)) = document(composer) {
        let require = doc.root.get("require");
        let find = |name: &str| {
            require
                .and_then(|r| r.entry(name))
                .map(|e| Location::new(id, e.key_span.get().unwrap_or(e.value.span)))
        };
        for (package, kind) in [
            ("magento/product-enterprise-edition", EditionKind::Commerce),
            ("magento/magento-cloud-metapackage", EditionKind::Commerce),
            ("magento/product-community-edition", EditionKind::OpenSource),
        ] {
            if let Some(location) = find(package) {
                return Evidence {
                    value: kind,
                    reason: format!("composer.json requires {package}").into(),
                    location: Some(location),
                };
            }
        }
    }
    if let Some((id, doc)) = document(config_php) {
        let modules = doc
            .root
            .get("modules")
            .map_or(&[][..], |m| m.value.entries());
        let commerce = modules
            .iter()
            .find(|e| e.key.as_str().is_some_and(is_commerce_module));
        if let Some(entry) = commerce {
            return Evidence {
                value: EditionKind::Commerce,
                reason: format!("config.php enables the Commerce-only module {}", entry.key).into(),
                location: Some(Location::new(
                    id,
                    entry.key_span.get().unwrap_or(entry.value.span),
                )),
            };
        }
    }
    Evidence {
        value: EditionKind::Unknown,
        reason: "no composer.json, declaration or Commerce-only module says".into(),
        location: None,
    }
}

/// The sites of one installation (reads `fleet`, whose `sites` are not filled in yet).
pub(super) fn sites_of(
    fleet: &Fleet<'_>,
    index: usize,
    declarations: &Declarations,
    absolute: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> Vec<Site> {
    let installation = &fleet.installations[index];
    let declared: Vec<_> = declarations
        .installations
        .iter()
        .filter(|d| d.path == installation.root)
        .flat_map(|d| d.sites.iter().cloned())
        .collect();
    let mut used = vec![false; declared.len()];
    // The declaration naming a file (by its path relative to the installation, or its name).
    let mut claim = |path: &Path| {
        // Only a declared site is looked up by path (most installations declare none).
        if declared.is_empty() {
            return None;
        }
        let relative = path
            .strip_prefix(&installation.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let file_name = path.file_name().and_then(|n| n.to_str());
        let found = declared
            .iter()
            .position(|d| d.name == relative || Some(d.name.as_str()) == file_name)?;
        used[found] = true;
        Some(declared[found].tier.clone())
    };
    let mut sites: Vec<PlannedSite> = installation
        .env_files
        .iter()
        .map(|&file| PlannedSite {
            name: fleet.files[file].display_path.clone(),
            env_file: Some(file),
            declared: claim(&absolute(&fleet.files[file].source.path)),
            environment: Vec::new(),
            named_for: None,
            excluded: Vec::new(),
            host: None,
            anchor: None,
        })
        .collect();
    environment::plan(fleet, installation, absolute, &mut sites, &mut claim);
    for (i, declaration) in declared.iter().enumerate() {
        if !used[i] {
            sites.push(PlannedSite {
                name: format!("{} ({})", installation.name, declaration.name),
                env_file: None,
                declared: Some(declaration.tier.clone()),
                environment: Vec::new(),
                named_for: None,
                excluded: Vec::new(),
                host: None,
                anchor: None,
            });
        }
    }
    if sites.is_empty() && installation.config_php.is_some() {
        sites.push(PlannedSite {
            name: format!("{} (config.php only)", installation.name),
            env_file: None,
            declared: None,
            environment: Vec::new(),
            named_for: None,
            excluded: Vec::new(),
            host: None,
            anchor: None,
        });
    }
    // The scope codes but `admin`: most sites write exactly these.
    let shared_codes: super::SiteCodes = installation
        .website_codes
        .iter()
        .filter(|(code, _)| code != "admin")
        .cloned()
        .collect();
    // Sites without environment files of their own share one list of variables.
    let shared_variables = environment::site_variables(installation, &[], &[]);
    let mut resolved = Vec::with_capacity(sites.len());
    for planned in sites {
        let config_variables = match planned.environment.is_empty() {
            true => shared_variables.clone(),
            false => {
                environment::site_variables(installation, &planned.environment, &planned.excluded)
            }
        };
        let mut site = Site {
            name: planned.name,
            installation: index,
            env_file: planned.env_file,
            environment: planned.environment.into(),
            excluded: planned.excluded.into(),
            config_variables,
            tier: tier::unknown(),
            website_codes: Vec::new().into(),
            data_space: None,
            foreign: None,
        };
        site.tier = match planned.declared {
            Some(d) => Evidence {
                value: d.value,
                reason: "declared in .magelint.yaml".into(),
                location: Some(d.location),
            },
            None => tier::infer(
                fleet,
                &site,
                planned.named_for.as_ref(),
                planned.host.as_ref(),
            ),
        };
        // A tier nothing points at (only an unknown one: evidence has a place) is pointed at by
        // its server block's name, if it has one.
        if site.tier.location.is_none() {
            site.tier.location = planned.anchor;
        }
        site.website_codes = website_codes(fleet, &site, &shared_codes);
        site.data_space = fleet
            .system_setting(&site, paths::DEFAULT_ENVIRONMENT_ID)
            .and_then(|s| {
                Some(DataSpaceRef {
                    id: s.text()?.into_owned(),
                    location: s.location().with_pointer(pointer_of(&s)),
                    origin: s.origin,
                })
            });
        resolved.push(site);
    }
    resolved
}

fn pointer_of(setting: &super::Setting<'_>) -> compact_str::CompactString {
    match setting.origin {
        super::Origin::ConfigVariable | super::Origin::SiteVariable => setting
            .key_location
            .as_ref()
            .and_then(|l| l.pointer.clone())
            .unwrap_or_default(),
        // A static text, not a copy per site.
        _ => compact_str::CompactString::const_new(ENVIRONMENT_ID_POINTER),
    }
}

const ENVIRONMENT_ID_POINTER: &str =
    "/system/default/services_connector/services_id/environment_id";

/// Website codes a site writes to its data space. Websites exist where they are defined: in
/// `scopes/websites` of config.php or of the site's env file (Magento merges the two, and
/// `app:config:import` creates and deletes websites to match). Where a definition exists, the
/// site's codes are the defined ones, so a `system/websites/<code>` settings section or a
/// `CONFIG__WEBSITES__<CODE>__…` variable for a website that is not defined writes nothing (it
/// is stale: MG006). Without any definition (the websites live in the database only), the codes
/// those settings name are the evidence there is. `admin` (website 0) is never a storefront.
/// First definition per code wins; sites that add no code of their own share their
/// installation's list.
fn website_codes(fleet: &Fleet<'_>, site: &Site, shared: &super::SiteCodes) -> super::SiteCodes {
    let installation = fleet.installation(site);
    // Copied only once a site adds a code the shared list lacks.
    let mut own: Option<Vec<(compact_str::CompactString, Location)>> = None;
    // A site writes a handful of codes: a scan beats hashing them.
    let mut add = |code: &str, location: &dyn Fn() -> Location| {
        let known = own.as_deref().unwrap_or(shared);
        if code != "admin" && !known.iter().any(|(known, _)| known == code) {
            own.get_or_insert_with(|| shared.to_vec())
                .push((code.into(), location()));
        }
    };
    let section = |file: FileId, path: &str| {
        fleet.files[file]
            .facts
            .as_ref()
            .and_then(|d| d.root.path(path))
            .map(|n| (file, n.value.entries()))
    };
    let env_definitions = site.env_file.and_then(|f| section(f, "scopes/websites"));
    let config_definitions = installation
        .config_php
        .and_then(|f| section(f, "scopes/websites"));
    if config_definitions.is_some() || env_definitions.is_some() {
        if let Some((file, entries)) = env_definitions {
            for entry in entries {
                let span = entry.key_span.get().unwrap_or(entry.value.span);
                let code = pointer::key_text(&entry.key);
                add(&code, &|| {
                    Location::new(file, span)
                        .with_pointer(pointer::joined(&["/scopes/websites/", &code]))
                });
            }
        }
    } else {
        for file in [site.env_file, installation.config_php]
            .into_iter()
            .flatten()
        {
            if let Some((file, entries)) = section(file, "system/websites") {
                for entry in entries {
                    let span = entry.key_span.get().unwrap_or(entry.value.span);
                    let code = pointer::key_text(&entry.key);
                    add(&code, &|| {
                        Location::new(file, span)
                            .with_pointer(pointer::joined(&["/system/websites/", &code]))
                    });
                }
            }
        }
        for variable in &installation.config_variables {
            if let super::ConfigVariableScope::Websites(code) = &variable.scope {
                add(code, &|| variable.location.clone());
            }
        }
    }
    match own {
        Some(codes) => codes.into(),
        None => shared.clone(),
    }
}

#[cfg(test)]
mod pointer_tests {
    #[test]
    fn the_environment_id_pointer_is_its_path_under_system_default() {
        assert_eq!(
            super::ENVIRONMENT_ID_POINTER,
            format!("/system/default/{}", super::paths::ENVIRONMENT_ID)
        );
    }
}
