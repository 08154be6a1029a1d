//! The drop zones and the files chosen in them: dropped, picked or reached with the keyboard,
//! checked at once against the server's rules, previewed, removable, with their progress
//! while the form is sent. Without JavaScript each zone is a plain file input.

use gatehouse_l10n::FluentValue;
use leptos::prelude::*;

use super::{size_words, Zone, MAX_FILE_BYTES};
use crate::i18n::{t, t_with};

const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

/// A file waiting to be sent, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Chosen {
    pub id: u32,
    pub zone: Zone,
    pub name: String,
    pub size: f64,
    /// A `blob:` URL of an image's own bytes, for its thumbnail.
    pub preview: Option<String>,
}

/// The files of the whole form. The browser's `File` objects stay on the client side.
#[derive(Clone, Copy)]
pub struct Files {
    pub list: RwSignal<Vec<Chosen>>,
    /// Percent sent, per file id, while sending.
    progress: RwSignal<Vec<(u32, f64)>>,
    #[cfg(feature = "browser")]
    next: StoredValue<u32>,
    pub error: RwSignal<Option<String>>,
    #[cfg(feature = "browser")]
    blobs: StoredValue<Vec<(u32, web_sys::File)>, LocalStorage>,
}

/// Why a file cannot go, in the server's words (`gatehouse_core::support::upload`).
#[cfg_attr(not(feature = "browser"), allow(dead_code))]
pub fn problem(name: &str, size: f64) -> Option<String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let id = if !matches!(extension.as_str(), "pdf" | "jpg" | "jpeg" | "png") {
        "support-file-wrong-type"
    } else if size == 0.0 {
        "support-file-empty"
    } else if size > MAX_FILE_BYTES {
        "support-file-too-large"
    } else {
        return None;
    };
    Some(t_with(id, [("name", FluentValue::from(name))]))
}

impl Files {
    pub fn new() -> Self {
        Files {
            list: RwSignal::new(Vec::new()),
            progress: RwSignal::new(Vec::new()),
            #[cfg(feature = "browser")]
            next: StoredValue::new(0),
            error: RwSignal::new(None),
            #[cfg(feature = "browser")]
            blobs: StoredValue::new_local(Vec::new()),
        }
    }

    fn in_zone(self, zone: Zone) -> Vec<Chosen> {
        self.list.with(|l| l.iter().filter(|c| c.zone == zone).cloned().collect())
    }

    fn progress_of(self, id: u32) -> Option<f64> {
        self.progress.with(|p| p.iter().find(|(i, _)| *i == id).map(|(_, v)| *v))
    }

    /// The owner documents not chosen yet, in the server's words, or `None`.
    pub fn missing_owner_proof(self) -> Option<String> {
        let missing: Vec<_> = Zone::ALL
            .into_iter()
            .filter(|z| z.owner_proof() && self.list.with(|l| !l.iter().any(|c| c.zone == *z)))
            .map(Zone::label)
            .collect();
        (!missing.is_empty()).then(|| {
            t_with(
                "support-missing-owner-proof",
                [("documents", FluentValue::from(missing.join(", "))), ("count", FluentValue::from(missing.len()))],
            )
        })
    }

    pub fn remove(self, id: u32) {
        if let Some(c) = self.list.with_untracked(|l| l.iter().find(|c| c.id == id).cloned()) {
            #[cfg(feature = "browser")]
            if let Some(url) = &c.preview {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            #[cfg(feature = "browser")]
            self.blobs.update_value(|b| b.retain(|(i, _)| *i != id));
            self.list.update(|l| l.retain(|x| x.id != id));
            self.error.set(None);
            #[cfg(not(feature = "browser"))]
            let _ = c;
        }
    }

    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    pub fn clear(self) {
        for id in self.list.with_untracked(|l| l.iter().map(|c| c.id).collect::<Vec<_>>()) {
            self.remove(id);
        }
        self.progress.set(Vec::new());
    }

    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    /// Shares `sent` bytes of files out over the files in the order they are sent.
    pub fn show_progress(self, sent: f64) {
        let mut before = 0.0;
        let progress = self.list.with_untracked(|l| {
            l.iter()
                .map(|c| {
                    let done = ((sent - before) / c.size.max(1.0)).clamp(0.0, 1.0) * 100.0;
                    before += c.size;
                    (c.id, done)
                })
                .collect()
        });
        self.progress.set(progress);
    }

    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    pub fn hide_progress(self) {
        self.progress.set(Vec::new());
    }
}

#[cfg(feature = "browser")]
impl Files {
    /// Takes files from a drop or the picker: each checked, refused ones named in the alert.
    pub fn add(self, zone: Zone, list: web_sys::FileList) {
        use super::{files_too_large_total, too_many_files, MAX_FILES, MAX_REQUEST_BYTES};
        let mut refused = Vec::new();
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let (name, size) = (file.name(), file.size());
            let (count, total) = self.list.with_untracked(|l| (l.len(), l.iter().map(|c| c.size).sum::<f64>()));
            let problem = problem(&name, size)
                .or_else(|| (count >= MAX_FILES).then(too_many_files))
                .or_else(|| (total + size > MAX_REQUEST_BYTES).then(files_too_large_total));
            if let Some(p) = problem {
                refused.push(p);
                continue;
            }
            let id = self.next.get_value();
            self.next.set_value(id + 1);
            let image = !name.to_ascii_lowercase().ends_with(".pdf");
            let preview = image.then(|| web_sys::Url::create_object_url_with_blob(&file).ok()).flatten();
            self.blobs.update_value(|b| b.push((id, file)));
            self.list.update(|l| l.push(Chosen { id, zone, name, size, preview }));
        }
        self.error.set((!refused.is_empty()).then(|| refused.join(" ")));
    }

    /// The files in the order they are listed (and sent), with their zone.
    pub fn entries(self) -> Vec<(Zone, web_sys::File)> {
        let zones = self.list.get_untracked();
        self.blobs.with_value(|b| {
            zones.iter().filter_map(|c| b.iter().find(|(i, _)| *i == c.id).map(|(_, f)| (c.zone, f.clone()))).collect()
        })
    }
}

#[component]
pub fn DropZone(zone: Zone, files: Files, enhanced: RwSignal<bool>) -> impl IntoView {
    let id = format!("zone-{}", zone.field());
    let hint = format!("{id}-hint");
    let dragging = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let chosen = move || files.in_zone(zone);
    let over = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "browser")]
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            files.add(zone, list);
        }
    };
    // A click anywhere on the zone opens the picker, as the label does.
    let click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "browser")]
        {
            use wasm_bindgen::JsCast;
            let inside_control = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("button, input, label, a, li").ok().flatten())
                .is_some();
            if !inside_control {
                if let Some(i) = input.get() {
                    i.click();
                }
            }
        }
        #[cfg(not(feature = "browser"))]
        let _ = (ev, input);
    };
    let change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "browser")]
        {
            use wasm_bindgen::JsCast;
            let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            if let Some(list) = el.files() {
                files.add(zone, list);
            }
            // The list above is what will be sent; the input is ready for more.
            el.set_value("");
        }
        #[cfg(not(feature = "browser"))]
        let _ = ev;
    };
    view! {
        <div class="drop-zone" class:enhanced=move || enhanced.get() class:dragging=move || dragging.get()
            data-zone=zone.field() on:dragenter=over on:dragover=over
            on:dragleave=move |_| dragging.set(false) on:drop=drop on:click=click>
            <label for=id.clone()>{zone.label()}</label>
            <p class="hint" id=hint.clone()>{format!("{} {}", zone.hint(), t("support-zone-formats"))}</p>
            <input type="file" id=id name=zone.field() multiple accept=ACCEPT aria-describedby=hint
                node_ref=input on:change=change/>
            <p class="drop-prompt" aria-hidden="true">
                {t("support-drop-files")}" "<span class="pick">{t("support-choose-files")}</span>
            </p>
            <ul class="chosen">
                <For each=chosen key=|c| c.id let:c>
                    <ChosenFile chosen=c files/>
                </For>
            </ul>
        </div>
    }
    .into_any()
}

#[component]
fn ChosenFile(chosen: Chosen, files: Files) -> impl IntoView {
    let id = chosen.id;
    let progress = move || files.progress_of(id);
    let name = chosen.name.clone();
    view! {
        <li class="chosen-file" data-testid="chosen-file">
            {match chosen.preview.clone() {
                Some(url) => view! { <img class="thumb" src=url alt=""/> }.into_any(),
                None => view! { <span class="thumb pdf" aria-hidden="true">"PDF"</span> }.into_any(),
            }}
            <span class="file-name">{chosen.name.clone()}</span>
            <span class="file-size">{size_words(chosen.size)}</span>
            <Show when=move || progress().is_some()>
                <progress max="100" value=move || progress().unwrap_or(0.0)
                    aria-label=t_with("support-file-sending", [("name", FluentValue::from(name.clone()))])></progress>
            </Show>
            <button type="button" class="toggle"
                aria-label=t_with("support-file-remove-label", [("name", FluentValue::from(chosen.name.clone()))])
                on:click=move |_| files.remove(id)>{t("support-file-remove")}</button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn files_are_refused_in_the_servers_words_before_sending() {
        assert_eq!(problem("passport.JPG", 2e6), None);
        assert_eq!(problem("scan.pdf", 10.0 * 1024.0 * 1024.0), None);
        assert_eq!(
            problem("notes.docx", 1e3).as_deref(),
            Some("“notes.docx” was not accepted: only PDF, JPEG and PNG files can be sent.")
        );
        assert_eq!(problem("empty.png", 0.0).as_deref(), Some("“empty.png” was not accepted: the file is empty."));
        assert_eq!(
            problem("huge.pdf", 10.0 * 1024.0 * 1024.0 + 1.0).as_deref(),
            Some("“huge.pdf” was not accepted: it is larger than 10 MB.")
        );
    }
}
