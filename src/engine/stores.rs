//! Object stores for table LOCATIONs, built the first time a bucket (or host) is used: local files,
//! S3 and S3-compatible servers (`s3://`, and `s3a://` as Hive users write it), Google Cloud Storage
//! (`gs://`), Azure (`az://`, `abfs://`, `abfss://`) and HTTP(S) for reading. Credentials and
//! endpoints come from `[object_store]` in the config, then from the environment.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use datafusion::common::{DataFusionError, Result};
use datafusion::execution::object_store::{DefaultObjectStoreRegistry, ObjectStoreRegistry};
use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::http::HttpBuilder;
use object_store::{ClientOptions, ObjectStore};
use url::Url;

use crate::config::ObjectStoreConfig;

/// The registry DataFusion asks for a URL's store.
#[derive(Debug)]
pub(crate) struct Stores {
    config: ObjectStoreConfig,
    local: DefaultObjectStoreRegistry,
    built: RwLock<HashMap<String, Arc<dyn ObjectStore>>>,
}

impl Stores {
    pub(crate) fn new(config: ObjectStoreConfig) -> Self {
        Stores { config, local: DefaultObjectStoreRegistry::new(), built: RwLock::new(HashMap::new()) }
    }

    fn key(url: &Url) -> String {
        format!("{}://{}", url.scheme(), &url[url::Position::BeforeHost..url::Position::AfterPort])
    }

    fn build(&self, url: &Url) -> Result<Arc<dyn ObjectStore>> {
        let external = |e: object_store::Error| DataFusionError::External(Box::new(e));
        let host = url.host_str().unwrap_or_default();
        Ok(match url.scheme() {
            "s3" | "s3a" => {
                let c = &self.config;
                let mut b = AmazonS3Builder::from_env().with_bucket_name(host);
                if !c.s3_endpoint.is_empty() {
                    b = b.with_endpoint(&c.s3_endpoint);
                }
                if !c.s3_region.is_empty() {
                    b = b.with_region(&c.s3_region);
                }
                if !c.s3_access_key_id.is_empty() {
                    b = b.with_access_key_id(&c.s3_access_key_id);
                }
                if !c.s3_secret_access_key.is_empty() {
                    b = b.with_secret_access_key(&c.s3_secret_access_key);
                }
                if c.s3_allow_http {
                    b = b.with_allow_http(true);
                }
                b = b.with_virtual_hosted_style_request(c.s3_virtual_hosted_style);
                Arc::new(b.build().map_err(external)?)
            }
            "gs" => Arc::new(GoogleCloudStorageBuilder::from_env().with_bucket_name(host).build().map_err(external)?),
            "az" | "azure" | "abfs" | "abfss" | "adl" => {
                Arc::new(MicrosoftAzureBuilder::from_env().with_url(url.as_str()).build().map_err(external)?)
            }
            "http" | "https" => {
                let base = format!("{}://{}", url.scheme(), &url[url::Position::BeforeHost..url::Position::AfterPort]);
                Arc::new(
                    HttpBuilder::new()
                        .with_url(base)
                        .with_client_options(ClientOptions::new().with_allow_http(true))
                        .build()
                        .map_err(external)?,
                )
            }
            other => {
                return Err(DataFusionError::Plan(format!(
                    "LOCATIONs with the scheme {other}:// are not supported; use file, s3, s3a, gs, az, abfss, http or https"
                )))
            }
        })
    }
}

impl ObjectStoreRegistry for Stores {
    fn register_store(&self, url: &Url, store: Arc<dyn ObjectStore>) -> Option<Arc<dyn ObjectStore>> {
        if url.scheme() == "file" {
            return self.local.register_store(url, store);
        }
        self.built.write().ok().and_then(|mut m| m.insert(Self::key(url), store))
    }

    fn get_store(&self, url: &Url) -> Result<Arc<dyn ObjectStore>> {
        if url.scheme() == "file" {
            return self.local.get_store(url);
        }
        let key = Self::key(url);
        if let Some(s) = self.built.read().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(s);
        }
        let store = self.build(url)?;
        if let Ok(mut m) = self.built.write() {
            m.entry(key).or_insert_with(|| store.clone());
        }
        tracing::info!(store = %Self::key(url), "object store opened");
        Ok(store)
    }
}
