"""Loaders of the official geography files: one module per official file layout.

`postcode_directory` (NSPL/ONSPD, and the derived WMCA file), `area_codes`, `lsoa_lookup`,
`iod2019` (Files 1, 2, 6, the ODC score file and File 7 via `iod_file7`), `iod2025`,
`wimd2019`, `simd2020`, `census2021_population`, `boundaries`.
"""
