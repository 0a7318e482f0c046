//! `magelint.showMap`: the workspace folder's map, drawn for the editor.

use super::State;
use lsp_types::Url;

impl State {
    /// Draws the map of a workspace folder (the one holding the file named by the command's
    /// first argument, a URI, else the first) from the files on disk, as `magelint map --format
    /// html` would, into a page in the temporary directory; returns the page's path.
    pub(super) fn show_map(
        &self,
        params: &lsp_types::ExecuteCommandParams,
    ) -> Result<String, String> {
        let named = params
            .arguments
            .first()
            .and_then(|a| a.as_str())
            .and_then(|u| Url::parse(u).ok())
            .and_then(|u| u.to_file_path().ok());
        let folder = named.and_then(|p| self.folder_of(&p)).unwrap_or(0);
        let options = self
            .folders
            .get(folder)
            .map(|w| w.options.clone())
            .ok_or("no workspace folder to draw")?;
        let (_, map) = crate::lint::lint_and_map(&options);
        let page = crate::map::render(&map, crate::map::MapFormat::Html, false);
        let path =
            std::env::temp_dir().join(format!("magelint-map-{}-{folder}.html", std::process::id()));
        std::fs::write(&path, page).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(path.to_string_lossy().into_owned())
    }
}
