use super::Rule;
use crate::cloud::Project;
use crate::diagnostic::Diagnostic;
use crate::ece_tools::cite;
use crate::facts::is_truthy;
use crate::model::Fleet;
use crate::syntax::Value;

/// Each `SPLIT_DB` type and the relationship whose database it moves the tables to.
const SPLIT_RELATIONSHIPS: [(&str, &str); 2] =
    [("sales", "database-sales"), ("quote", "database-quote")];

declare_rule! {
    /// ## What it does
    /// Flags a `SPLIT_DB` type (`quote`, `sales`) in the `deploy` stage of `.magento.env.yaml`
    /// whose database connection the deploy does not get: `.magento.app.yaml` has no
    /// `database-quote` (or `database-sales`) relationship, or `DATABASE_CONFIGURATION` is
    /// written without `_merge` (it then replaces the connections the relationships give).
    /// ece-tools skips splitting the database with a warning (ece-tools 2023
    /// WARN_SPLIT_DB_ENABLING_SKIPPED).
    ///
    /// ## Why it matters
    /// The split moves the checkout or order tables to their own database, reached through
    /// those relationships; without them ece-tools does nothing but warn, so the
    /// configuration says the database is split while it is not. On Magento 2.5.0 and later
    /// the deploy stops earlier (ece-tools 136, EC012), so this rule says nothing there.
    ///
    /// ## Example
    /// ```yaml
    /// stage:
    ///   deploy:
    ///     SPLIT_DB:
    ///       - quote
    /// ```
    /// with `.magento.app.yaml` relationships holding only `database: "mysql:mysql"`.
    ///
    /// ## Fix
    /// Add the relationships (`database-quote: "mysql:quote"`, `database-sales:
    /// "mysql:sales"`, with those endpoints in `.magento/services.yaml`), or remove the type
    /// from `SPLIT_DB`. Split databases are deprecated: prefer removing it.
    ///
    /// ## Source
    /// - ece-tools, `Step/Deploy/SplitDbConnection.php` (a type without its connection: 2023): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Step/Deploy/SplitDbConnection.php>
    /// - ece-tools, `Config/Database/DbConfig.php` and `DB/Data/ConnectionTypes.php` (the connections come from `database-quote` and `database-sales`, unless DATABASE_CONFIGURATION replaces them): <https://github.com/magento/ece-tools/blob/2002.1.17/src/Config/Database/DbConfig.php>
    /// - Adobe Commerce on Cloud, "Deploy variables" (`SPLIT_DB`): <https://experienceleague.adobe.com/en/docs/commerce-on-cloud/user-guide/configure/env/stage/variables-deploy>
    pub struct SplitDbWithoutRelationship;
    code: "EC071", name: "split-db-without-relationship", severity: Warning, ece_tools: [2023]
}

impl Rule for SplitDbWithoutRelationship {
    fn check_fleet(&self, fleet: &Fleet<'_>, out: &mut Vec<Diagnostic>) {
        super::each_ece_tools_project(fleet, |_, _, project, out| check(project, out), out);
    }
}

fn check(project: &Project<'_>, out: &mut Vec<Diagnostic>) {
    if project.app_yaml.is_none() {
        return;
    }
    let Some(split) = project.stage_value("deploy", "SPLIT_DB") else {
        return;
    };
    let types: Vec<&str> = split
        .node
        .value
        .entries()
        .iter()
        .filter_map(|e| e.value.value.as_str())
        .collect();
    if types.is_empty() {
        return;
    }
    // From 2.5.0 the deploy stops on SPLIT_DB before this step (136).
    let magento = project.magento();
    if magento.is_some_and(|m| m.version.at_least("2.5.0")) {
        return;
    }
    let replaced = replaces_connections(project);
    let missing: Vec<(&str, &str)> = SPLIT_RELATIONSHIPS
        .iter()
        .copied()
        .filter(|(kind, _)| types.contains(kind))
        .filter(|(_, relationship)| replaced || project.relationship(relationship).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    let names: Vec<&str> = missing.iter().map(|(kind, _)| *kind).collect();
    let why = match replaced {
        true => "DATABASE_CONFIGURATION, written without `_merge`, replaces the connections the relationships give".to_string(),
        false => format!(
            ".magento.app.yaml has no {} relationship",
            missing
                .iter()
                .map(|(_, r)| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    };
    out.push(
        Diagnostic::new(
            SplitDbWithoutRelationship::RULE,
            split.location,
            format!(
                "SPLIT_DB asks to split {}, but {why}: the deploy skips the split ({})",
                names.join(", "),
                cite(2023)
            ),
        )
        .help("add the database-quote / database-sales relationships to .magento.app.yaml, or remove the type from SPLIT_DB (split databases are deprecated)"),
    );
}

/// Whether `DATABASE_CONFIGURATION` (deploy) replaces the relationships' connections: it holds
/// something besides `_merge`, and `_merge` is off.
fn replaces_connections(project: &Project<'_>) -> bool {
    let Some(setting) = project.stage_value("deploy", "DATABASE_CONFIGURATION") else {
        return false;
    };
    let Value::Array { entries, .. } = &setting.node.value else {
        return false;
    };
    let merge = entries
        .iter()
        .any(|e| e.key.matches("_merge") && is_truthy(&e.value.value));
    // ece-tools drops the split connections before it looks, but an emptied `connection`
    // stays: any key but `_merge` counts.
    let holds_more = entries.iter().any(|e| !e.key.matches("_merge"));
    holds_more && !merge
}
