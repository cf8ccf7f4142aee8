"""Beyond one machine: ``qala spark`` writes Parquet tables with PySpark, ``qala load`` stores them.

``qala.spark.job`` is the driver (needs the ``spark`` extra: ``pip install 'qala[spark]'``);
``qala.spark.tables`` the tables' columns and rows; ``qala.spark.load`` the loader, which
needs only pyarrow.
"""
