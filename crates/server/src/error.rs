//! The API's one error type and the one function that maps errors to HTTP statuses.
//!
//! Every error leaves the server as `{"error": {"code": "...", "message": "..."}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use casus_store::StoreError;

/// An error answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request body or a parameter is malformed or out of range.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// No such situation, case, forecast or route.
    #[error("{what} not found")]
    NotFound { what: String },
    /// A write without the configured bearer token.
    #[error("this server requires `Authorization: Bearer <token>` for writes")]
    Unauthorized,
    /// The `Host` header does not name this server (DNS rebinding, or a missing `--allow-host`).
    #[error(
        "this server does not answer to host `{host}`; open it as http://127.0.0.1:PORT or \
         http://localhost:PORT, or start it with `--allow-host NAME` for another name"
    )]
    ForbiddenHost { host: String },
    /// A state-changing request from another site's page (its `Origin` is not this server).
    #[error("cross-site request refused: origin `{origin}` is not this server")]
    ForbiddenOrigin { origin: String },
    /// A JSON endpoint was sent something else (e.g. an HTML form's `text/plain`).
    #[error("send the body as JSON with `Content-Type: application/json` (got `{given}`)")]
    UnsupportedMediaType { given: String },
    /// The request body is larger than the server accepts.
    #[error("request body larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// The method is not allowed on this path.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request conflicts with stored state (e.g. resolving a resolved forecast).
    #[error("{message}")]
    Conflict { message: String },
    /// The feature is not part of this build (e.g. monitoring without the `monitor` feature).
    #[error("{message}")]
    Unavailable { message: String },
    /// Too many heavy requests are running and waiting; try again after `retry_after` seconds.
    #[error("the server is busy; try again in {retry_after} s")]
    Overloaded { retry_after: u64 },
    /// The request took longer than the server allows.
    #[error("the request took longer than {after_ms} ms and was abandoned; try again")]
    Timeout { after_ms: u64, retry_after: u64 },
    /// The forecast store failed.
    #[error("forecast store failed: {0}")]
    Store(#[source] StoreError),
    /// A bug or a failed background task.
    #[error("internal error: {message}")]
    Internal { message: String },
}

impl ApiError {
    pub fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::NotFound { what: what.into() }
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::NotFound { .. } => "not_found",
            ApiError::Unauthorized => "unauthorized",
            ApiError::ForbiddenHost { .. } => "forbidden_host",
            ApiError::ForbiddenOrigin { .. } => "forbidden_origin",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::TooLarge { .. } => "payload_too_large",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Conflict { .. } => "conflict",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Overloaded { .. } => "overloaded",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Store(_) => "store_error",
            ApiError::Internal { .. } => "internal",
        }
    }
}

/// The one place errors become statuses.
pub fn status_of(e: &ApiError) -> StatusCode {
    match e {
        ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
        ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
        ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
        ApiError::ForbiddenHost { .. } | ApiError::ForbiddenOrigin { .. } => StatusCode::FORBIDDEN,
        ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ApiError::Conflict { .. } => StatusCode::CONFLICT,
        ApiError::Unavailable { .. } => StatusCode::NOT_IMPLEMENTED,
        ApiError::Overloaded { .. } | ApiError::Timeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Store(_) | ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound { id } => ApiError::not_found(format!("forecast {id}")),
            StoreError::AlreadyResolved { .. } | StoreError::Duplicate { .. } => {
                ApiError::Conflict {
                    message: e.to_string(),
                }
            }
            StoreError::Invalid { .. }
            | StoreError::Import { .. }
            | StoreError::AfterResolution { .. }
            | StoreError::BadResolutionTime { .. } => {
                ApiError::bad("invalid_forecast", e.to_string())
            }
            other => ApiError::Store(other),
        }
    }
}

impl From<casus_data::DataError> for ApiError {
    fn from(e: casus_data::DataError) -> ApiError {
        ApiError::bad("invalid_situation", e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "code": self.code(), "message": self.to_string() }
        });
        let mut res = (status_of(&self), Json(body)).into_response();
        if let ApiError::Overloaded { retry_after } | ApiError::Timeout { retry_after, .. } = self {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        res
    }
}
