namespace Embedded.Hardware.Emulators.Enc28j60;

/// <summary>The reasons <see cref="Enc28j60Emulator"/> records in its forbidden-operation log (chips.md part A).</summary>
public static class Enc28j60ForbiddenReasons
{
    /// <summary>BFS or BFC addressed a MAC/MII register; the datasheet allows them on ETH registers only. Ignored.</summary>
    public const string BitFieldOnMacMii = "BFS/BFC on a MAC/MII register (ETH registers only); ignored";

    /// <summary>An opcode/argument pair the instruction set does not define.</summary>
    public const string UndefinedOpcode = "undefined SPI opcode";

    /// <summary>WCR, BFS or BFC without its data byte.</summary>
    public const string MissingDataByte = "WCR/BFS/BFC without a data byte";

    /// <summary>Bytes after the single data byte of WCR/BFS/BFC: one register per CS frame. Ignored.</summary>
    public const string ExtraBytesAfterWrite = "bytes after the WCR/BFS/BFC data byte (one register per CS frame); ignored";

    /// <summary>An RCR of a MAC/MII register stopped after the dummy byte, so the host never saw the value.</summary>
    public const string MacMiiReadWithoutDummy = "RCR of a MAC/MII register without the dummy byte";

    /// <summary>ERXST or ERXND written while ECON1.RXEN=1.</summary>
    public const string RxRingWrittenWhileEnabled = "ERXST/ERXND written while ECON1.RXEN=1";

    /// <summary>ERXRDPT committed with an even value (errata #14).</summary>
    public const string EvenRxReadPointer = "ERXRDPT set to an even value (errata #14)";

    /// <summary>ERXRDPT committed outside ERXST..ERXND.</summary>
    public const string RxReadPointerOutsideRing = "ERXRDPT set outside ERXST..ERXND";

    /// <summary>Receive enabled with ERXST not 0x0000 (errata #5).</summary>
    public const string RxRingNotAtZero = "RXEN set with ERXST != 0x0000 (errata #5)";

    /// <summary>Receive enabled with ERXND not above ERXST.</summary>
    public const string RxRingInvalid = "RXEN set with ERXND <= ERXST";

    /// <summary>WBM ran past 0x1FFF and wrapped to 0x0000.</summary>
    public const string WriteBufferPastEnd = "WBM beyond the end of buffer memory (wrapped past 0x1FFF)";

    /// <summary>WBM wrote into the receive ring while reception is enabled.</summary>
    public const string WriteBufferIntoRxRing = "WBM into ERXST..ERXND while ECON1.RXEN=1";

    /// <summary>WBM wrote the frame or status-vector area of a transmission in progress.</summary>
    public const string WriteBufferWhileTransmitting = "WBM into ETXST..ETXND+7 while ECON1.TXRTS=1";

    /// <summary>ETXST or ETXND written while ECON1.TXRTS=1.</summary>
    public const string TxPointersWhileTransmitting = "ETXST/ETXND written while ECON1.TXRTS=1";

    /// <summary>TXRTS set while TXRST holds the transmit logic in reset. Ignored.</summary>
    public const string TransmitWhileTxReset = "TXRTS set while ECON1.TXRST=1; ignored";

    /// <summary>TXRTS set with ETXND before ETXST.</summary>
    public const string TransmitEndBeforeStart = "TXRTS set with ETXND < ETXST";

    /// <summary>ERXFCON written while ECON1.RXEN=1.</summary>
    public const string FilterWrittenWhileEnabled = "ERXFCON written while ECON1.RXEN=1";

    /// <summary>A MAADR register written while ECON1.RXEN=1.</summary>
    public const string MacAddressWrittenWhileEnabled = "MAADR written while ECON1.RXEN=1";

    /// <summary>The duplex mode (MACON3.FULDPX or PHCON1.PDPXMD) changed while ECON1.RXEN=1.</summary>
    public const string DuplexChangedWhileEnabled = "duplex (MACON3.FULDPX/PHCON1.PDPXMD) changed while ECON1.RXEN=1";

    /// <summary>A read-only register was written. Ignored.</summary>
    public const string ReadOnlyRegisterWritten = "write to a read-only register; ignored";

    /// <summary>ECON2.PKTDEC with EPKTCNT already 0. Ignored.</summary>
    public const string PacketDecrementAtZero = "ECON2.PKTDEC with EPKTCNT=0; ignored";

    /// <summary>MIWRH written while MISTAT.BUSY=1 (the write is not started).</summary>
    public const string MiiWriteWhileBusy = "MIWRH written while MISTAT.BUSY=1; not started";

    /// <summary>MICMD changed (MIIRD or MIISCAN) while MISTAT.BUSY=1 (no new operation is started).</summary>
    public const string MiiCommandWhileBusy = "MICMD changed while MISTAT.BUSY=1; no new operation";

    /// <summary>MIREGADR or MIWRL written while MISTAT.BUSY=1.</summary>
    public const string MiiRegisterWhileBusy = "MIREGADR/MIWRL written while MISTAT.BUSY=1";

    /// <summary>MIRDL or MIRDH read while a PHY read is in progress (the value is stale).</summary>
    public const string MiiResultReadWhileBusy = "MIRD read while MISTAT.BUSY=1 (stale value)";

    /// <summary>MICMD.MIIRD and MICMD.MIISCAN set together.</summary>
    public const string MiiReadAndScan = "MICMD.MIIRD and MIISCAN set together";

    /// <summary>A read-only PHY register was written over MII. Ignored.</summary>
    public const string PhyReadOnlyWritten = "PHY write to a read-only PHY register; ignored";

    /// <summary>PHCON1.PLOOPBK set: internal loopback is unreliable (errata #9/#10).</summary>
    public const string PhyLoopback = "PHCON1.PLOOPBK set (errata #10: do not use)";

    /// <summary>SRC while ECON2.PWRSV=1 is ignored by the chip (errata #19).</summary>
    public const string ResetInPowerSave = "SRC while ECON2.PWRSV=1 is ignored (errata #19)";

    /// <summary>The SPI clock is above the datasheet's 20 MHz.</summary>
    public const string SpiClockTooFast = "SPI clock above 20 MHz";

    /// <summary>The SPI mode is not 0,0.</summary>
    public const string SpiModeNotZero = "SPI mode other than 0";
}
