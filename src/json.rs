//! JSON in and out of the app's own types.
//!
//! In the browser the text is parsed and written by the browser's own
//! `JSON`: each bundle then carries no JSON parser or printer, only its
//! types' derived code. Values are written with `serde-wasm-bindgen`; they
//! are read by the small deserializer below, whose one error says nothing:
//! every caller only asks "is this a `T`?", and serde's error messages would
//! link float formatting into every bundle (about 4 KB brotli each, see
//! docs/decisions.md). Natively (unit tests, tools) it is `serde_json`, which
//! reads and writes the same JSON for these types.

use serde::{de::DeserializeOwned, Serialize};

/// `text` as a `T`, or `None` when it is not JSON or not a `T`.
#[cfg(target_arch = "wasm32")]
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    T::deserialize(js::Value(js_sys::JSON::parse(text).ok()?)).ok()
}

/// `v` as JSON text: objects for maps, `null` for `None`, as `serde_json` writes.
#[cfg(target_arch = "wasm32")]
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Option<String> {
    let js = v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()?;
    js_sys::JSON::stringify(&js).ok()?.as_string()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Option<String> {
    serde_json::to_string(v).ok()
}

/// A value `JSON.parse` made, read as serde data. JSON has no `undefined`,
/// maps or bytes, so it needs only JSON's six kinds.
#[cfg(target_arch = "wasm32")]
mod js {
    use js_sys::{Array, Object};
    use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
    use wasm_bindgen::{JsCast, JsValue};

    pub struct Value(pub JsValue);

    /// Not a `T`; why is not kept (see the module's comment).
    #[derive(Debug)]
    pub struct Mismatch;

    impl std::fmt::Display for Mismatch {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON of another shape")
        }
    }

    impl std::error::Error for Mismatch {}

    // Every constructor is overridden, so no message is ever formatted.
    impl de::Error for Mismatch {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Mismatch
        }
        fn invalid_type(_: de::Unexpected, _: &dyn de::Expected) -> Self {
            Mismatch
        }
        fn invalid_value(_: de::Unexpected, _: &dyn de::Expected) -> Self {
            Mismatch
        }
        fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
            Mismatch
        }
        fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
            Mismatch
        }
        fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
            Mismatch
        }
        fn missing_field(_: &'static str) -> Self {
            Mismatch
        }
        fn duplicate_field(_: &'static str) -> Self {
            Mismatch
        }
    }

    type Result<T> = std::result::Result<T, Mismatch>;

    /// Each `$method` reads as `$to` does.
    macro_rules! same_as {
        ($to:ident: $($method:ident)*) => {
            $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
                self.$to(v)
            })*
        };
    }

    /// Largest integer a JS number holds exactly (2^53 − 1).
    const EXACT: f64 = 9_007_199_254_740_991.0;

    impl Value {
        fn nullish(&self) -> bool {
            self.0.is_null() || self.0.is_undefined()
        }
        /// The number, when it is a whole one a JS number holds exactly.
        fn whole(&self) -> Option<i64> {
            self.0.as_f64().filter(|n| n.fract() == 0.0 && n.abs() <= EXACT).map(|n| n as i64)
        }
        /// An object's `[key, value]` pairs (none for an array or a scalar).
        fn entries(&self) -> Option<Array> {
            (self.0.is_object() && !Array::is_array(&self.0))
                .then(|| Object::entries(self.0.unchecked_ref()))
        }
    }

    impl<'de> de::Deserializer<'de> for Value {
        type Error = Mismatch;

        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            if self.nullish() {
                v.visit_unit()
            } else if let Some(b) = self.0.as_bool() {
                v.visit_bool(b)
            } else if let Some(n) = self.whole() {
                v.visit_i64(n)
            } else if let Some(n) = self.0.as_f64() {
                v.visit_f64(n)
            } else if let Some(s) = self.0.as_string() {
                v.visit_string(s)
            } else if Array::is_array(&self.0) {
                self.deserialize_seq(v)
            } else {
                self.deserialize_map(v)
            }
        }

        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            if self.nullish() {
                v.visit_none()
            } else {
                v.visit_some(self)
            }
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            v: V,
        ) -> Result<V::Value> {
            v.visit_newtype_struct(self)
        }

        /// A unit variant is its name; any other is `{"name": content}`.
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            v: V,
        ) -> Result<V::Value> {
            if let Some(name) = self.0.as_string() {
                return v.visit_enum(name.into_deserializer());
            }
            let entries = self.entries().ok_or(Mismatch)?;
            if entries.length() != 1 {
                return Err(Mismatch);
            }
            let pair: Array = entries.get(0).unchecked_into();
            let name = pair.get(0).as_string().ok_or(Mismatch)?;
            v.visit_enum(Variant { name, content: Value(pair.get(1)) })
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            v.visit_unit()
        }

        // A type that knows its shape asks for it: only that one `visit_*`
        // is called, so only that one is compiled (a struct is never read
        // from an array, as `deserialize_any` would allow).
        fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            v.visit_bool(self.0.as_bool().ok_or(Mismatch)?)
        }

        fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            v.visit_i64(self.whole().ok_or(Mismatch)?)
        }

        fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            v.visit_f64(self.0.as_f64().ok_or(Mismatch)?)
        }

        fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            v.visit_string(self.0.as_string().ok_or(Mismatch)?)
        }

        fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            if self.nullish() {
                v.visit_unit()
            } else {
                Err(Mismatch)
            }
        }

        fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            if !Array::is_array(&self.0) {
                return Err(Mismatch);
            }
            v.visit_seq(Items { items: self.0.unchecked_into(), at: 0 })
        }

        fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            v.visit_map(Fields { entries: self.entries().ok_or(Mismatch)?, at: 0, value: None })
        }

        fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value> {
            self.deserialize_seq(v)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: usize,
            v: V,
        ) -> Result<V::Value> {
            self.deserialize_seq(v)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            v: V,
        ) -> Result<V::Value> {
            self.deserialize_map(v)
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            v: V,
        ) -> Result<V::Value> {
            self.deserialize_unit(v)
        }

        same_as! { deserialize_i64: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_i128 deserialize_u128 }
        same_as! { deserialize_f64: deserialize_f32 }
        same_as! { deserialize_string: deserialize_char deserialize_str deserialize_identifier }
        same_as! { deserialize_any: deserialize_bytes deserialize_byte_buf }
    }

    /// An array's items in turn.
    struct Items {
        items: Array,
        at: u32,
    }

    impl<'de> de::SeqAccess<'de> for Items {
        type Error = Mismatch;

        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>> {
            if self.at >= self.items.length() {
                return Ok(None);
            }
            self.at += 1;
            seed.deserialize(Value(self.items.get(self.at - 1))).map(Some)
        }

        fn size_hint(&self) -> Option<usize> {
            Some((self.items.length() - self.at) as usize)
        }
    }

    /// An object's fields in turn (`Object.entries` order: as written).
    struct Fields {
        entries: Array,
        at: u32,
        value: Option<JsValue>,
    }

    impl<'de> de::MapAccess<'de> for Fields {
        type Error = Mismatch;

        fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
            if self.at >= self.entries.length() {
                return Ok(None);
            }
            let pair: Array = self.entries.get(self.at).unchecked_into();
            self.at += 1;
            self.value = Some(pair.get(1));
            let key = pair.get(0).as_string().ok_or(Mismatch)?;
            seed.deserialize(key.into_deserializer()).map(Some)
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
            seed.deserialize(Value(self.value.take().ok_or(Mismatch)?))
        }
    }

    /// `{"name": content}`: a variant that carries something.
    struct Variant {
        name: String,
        content: Value,
    }

    impl<'de> de::EnumAccess<'de> for Variant {
        type Error = Mismatch;
        type Variant = Value;

        fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Value)> {
            let name = seed.deserialize(self.name.into_deserializer())?;
            Ok((name, self.content))
        }
    }

    impl<'de> de::VariantAccess<'de> for Value {
        type Error = Mismatch;

        fn unit_variant(self) -> Result<()> {
            Ok(())
        }

        fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
            seed.deserialize(self)
        }

        fn tuple_variant<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value> {
            de::Deserializer::deserialize_any(self, v)
        }

        fn struct_variant<V: Visitor<'de>>(
            self,
            _: &'static [&'static str],
            v: V,
        ) -> Result<V::Value> {
            de::Deserializer::deserialize_any(self, v)
        }
    }
}
